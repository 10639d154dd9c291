// SPDX-License-Identifier: MIT
// Encodes rows in the default text format of LOAD DATA INFILE, so a restore can feed them to
// the server unchanged: fields separated by TAB, each row ended by LF, NULL written as \N,
// and these bytes escaped: \ -> \\, NUL -> \0, LF -> \n, TAB -> \t, CR -> \r, 0x1A -> \Z.
// Every other byte is copied verbatim (no character set logic), so binary values round-trip.
// Output collects in an internal buffer (~256 KiB) and goes to `out` in large writes.
#pragma once

#include "core/db/row_view.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace pbk::core::rowcodec {

class RowEncoder {
public:
  static constexpr std::size_t k_default_buffer = 256 * 1024;

  // Borrows `out`; `buffer_size` (at least 16 bytes) is exposed for tests of buffer edges.
  explicit RowEncoder(io::ByteSink& out, std::size_t buffer_size = k_default_buffer);

  void encode(const db::RowView& row);
  void encode(std::span<const std::optional<std::string_view>> fields);

  // Pushes buffered bytes to `out`. Call before out.finish(); the destructor does not flush.
  void flush();

  [[nodiscard]] std::uint64_t rows() const noexcept { return m_rows; }

  // Encoded bytes so far, including those still buffered.
  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_flushed + m_used; }

private:
  void put(char c);
  void put_field(std::string_view value);

  io::ByteSink& m_out;
  std::unique_ptr<char[]> m_buffer;
  std::size_t m_capacity;
  std::size_t m_used = 0;
  std::uint64_t m_flushed = 0;
  std::uint64_t m_rows = 0;
};

} // namespace pbk::core::rowcodec
