// SPDX-License-Identifier: MIT
#include "archive/member_reader.hpp"

namespace pbk::archive {

MemberReader::MemberReader(const MemberOpener& opener,
                           core::io::ByteSource& stored,
                           const std::string& path,
                           const std::string& label,
                           std::uint64_t raw_limit)
    : m_opened(opener, stored, path, label),
      m_decompress(m_opened, label),
      m_bounded(m_decompress,
                raw_limit,
                label + " decompresses to more than " + std::to_string(raw_limit) + " bytes"),
      m_counting(m_bounded) {}

std::size_t MemberReader::read(std::span<std::byte> buffer) {
  const auto n = m_counting.read(buffer);
  if (n == 0 && !buffer.empty()) {
    // The zstd stream ended; whatever the stored bytes hold after it must still be read, or
    // a sealed member's last tag and the caller's hash would not cover it.
    core::io::drain(m_opened);
  }
  return n;
}

void MemberReader::skip_rest() {
  core::io::drain(*this);
}

} // namespace pbk::archive
