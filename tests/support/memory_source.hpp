// SPDX-License-Identifier: MIT
// A ByteSource over bytes in memory for tests. `max_read` caps each read() so tests can check
// that readers cope with the short reads a pipe delivers.
#pragma once

#include "core/io/byte_sink.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace pbk::test {

class MemorySource : public core::io::ByteSource {
public:
  explicit MemorySource(std::span<const std::byte> data, std::size_t max_read = SIZE_MAX)
      : m_data(data.begin(), data.end()),
        m_max_read(max_read) {}

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override {
    const std::size_t n = std::min({buffer.size(), m_max_read, m_data.size() - m_pos});
    if (n > 0) { // an empty source has no data pointer to copy from
      std::memcpy(buffer.data(), m_data.data() + m_pos, n);
    }
    m_pos += n;
    return n;
  }

private:
  std::vector<std::byte> m_data;
  std::size_t m_max_read;
  std::size_t m_pos = 0;
};

} // namespace pbk::test
