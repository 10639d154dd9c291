// SPDX-License-Identifier: MIT
#include "core/io/counting_sink.hpp"

#include <cstring>

namespace pbk::core::io {

void CountingSink::write(std::span<const std::byte> data) {
  m_next.write(data);
  // Counted after the write succeeded, so the numbers describe what the next stage accepted.
  m_bytes += data.size();
  // memchr skips the long runs between line feeds (TSV has one per row) many bytes at a time.
  const auto* p = reinterpret_cast<const char*>(data.data());
  const auto* const end = p + data.size();
  while (p != end) {
    const auto* hit =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (hit == nullptr) {
      break;
    }
    ++m_newlines;
    p = hit + 1;
  }
}

void CountingSink::finish() {
  m_next.finish();
}

} // namespace pbk::core::io
