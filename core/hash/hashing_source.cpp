// SPDX-License-Identifier: MIT
#include "core/hash/hashing_source.hpp"

namespace pbk::core::hash {

std::size_t HashingSource::read(std::span<std::byte> buffer) {
  if (m_finished) {
    return 0;
  }
  const std::size_t n = m_in.read(buffer);
  if (n > 0) {
    m_sha.update(buffer.first(n));
    m_bytes += n;
  } else if (!buffer.empty()) {
    // An empty buffer returns 0 without meaning the end, so it must not finalize the digest.
    m_hex = m_sha.finish_hex();
    m_finished = true;
  }
  return n;
}

} // namespace pbk::core::hash
