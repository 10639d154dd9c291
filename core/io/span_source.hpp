// SPDX-License-Identifier: MIT
// A ByteSource over bytes someone else owns (a member buffered in memory); the bytes must
// outlive the source.
#pragma once

#include "core/io/byte_sink.hpp"

#include <algorithm>
#include <cstring>
#include <span>

namespace pbk::core::io {

class SpanSource final : public ByteSource {
public:
  explicit SpanSource(std::span<const std::byte> data)
      : m_data(data) {}

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override {
    const std::size_t n = std::min(buffer.size(), m_data.size() - m_position);
    if (n > 0) {
      std::memcpy(buffer.data(), m_data.data() + m_position, n);
      m_position += n;
    }
    return n;
  }

private:
  std::span<const std::byte> m_data;
  std::size_t m_position = 0;
};

} // namespace pbk::core::io
