// SPDX-License-Identifier: MIT
#include "core/io/counting_source.hpp"

#include <algorithm>

namespace pbk::core::io {

std::size_t CountingSource::read(std::span<std::byte> buffer) {
  const std::size_t n = m_in.read(buffer);
  const auto data = buffer.first(n);
  m_bytes += n;
  m_newlines += static_cast<std::uint64_t>(std::count(data.begin(), data.end(), std::byte{0x0A}));
  return n;
}

} // namespace pbk::core::io
