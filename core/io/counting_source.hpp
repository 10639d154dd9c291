// SPDX-License-Identifier: MIT
// CountingSource is the pull-side twin of CountingSink: it reads from `in` (borrowed), returns
// the bytes unchanged and counts them and their LF bytes. Each TSV row ends with exactly one
// unescaped LF, so on decompressed rows newlines() is the row count to check the manifest with.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace pbk::core::io {

class CountingSource : public ByteSource {
public:
  explicit CountingSource(ByteSource& in)
      : m_in(in) {}

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_bytes; }

  [[nodiscard]] std::uint64_t newlines() const noexcept { return m_newlines; }

private:
  ByteSource& m_in;
  std::uint64_t m_bytes = 0;
  std::uint64_t m_newlines = 0;
};

} // namespace pbk::core::io
