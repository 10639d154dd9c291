// SPDX-License-Identifier: MIT
#include "core/crypto/open_source.hpp"

#include <algorithm>
#include <cstring>

namespace pbk::core::crypto {

OpenSource::OpenSource(io::ByteSource& in,
                       const SecretBytes& key,
                       std::string aad_path,
                       std::string label)
    : m_in(in),
      m_opener(m_plain, key, std::move(aad_path), std::move(label)),
      m_input(256 * 1024) {}

std::size_t OpenSource::read(std::span<std::byte> buffer) {
  if (buffer.empty()) {
    return 0;
  }
  while (m_position == m_plain.size()) {
    m_plain.clear();
    m_position = 0;
    if (m_end) {
      return 0;
    }
    const auto n = m_in.read(m_input);
    if (n == 0) {
      m_end = true;
      m_opener.finish(); // opens the final chunk, or throws when the data was cut short
    } else {
      m_opener.write(std::span<const std::byte>(m_input.data(), n));
    }
  }
  const auto n = std::min(buffer.size(), m_plain.size() - m_position);
  std::memcpy(buffer.data(), m_plain.data().data() + m_position, n);
  m_position += n;
  return n;
}

} // namespace pbk::core::crypto
