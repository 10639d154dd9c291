// SPDX-License-Identifier: MIT
// CountingSink passes bytes through unchanged and counts them, and counts LF bytes too: the
// row encoder ends every row with exactly one unescaped LF, so newlines() is the row count of
// TSV data. It borrows the next stage; finish() forwards to it.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstdint>

namespace pbk::core::io {

class CountingSink : public ByteSink {
public:
  explicit CountingSink(ByteSink& next)
      : m_next(next) {}

  using ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override;

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_bytes; }

  [[nodiscard]] std::uint64_t newlines() const noexcept { return m_newlines; }

private:
  ByteSink& m_next;
  std::uint64_t m_bytes = 0;
  std::uint64_t m_newlines = 0;
};

} // namespace pbk::core::io
