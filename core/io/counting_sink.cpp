// SPDX-License-Identifier: MIT
#include "core/io/counting_sink.hpp"

#include <algorithm>

namespace pbk::core::io {

void CountingSink::write(std::span<const std::byte> data) {
  m_next.write(data);
  // Counted after the write succeeded, so the numbers describe what the next stage accepted.
  m_bytes += data.size();
  m_newlines += static_cast<std::uint64_t>(std::count(data.begin(), data.end(), std::byte{0x0A}));
}

void CountingSink::finish() {
  m_next.finish();
}

} // namespace pbk::core::io
