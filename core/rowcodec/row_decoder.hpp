// SPDX-License-Identifier: MIT
// Parses the TSV that RowEncoder writes, as a ByteSink at the end of the restore pipeline.
// Rows may be split across writes at any byte. The grammar is strict: only the escapes the
// encoder produces are accepted, \N only as a whole field, and the data must end with LF;
// anything else is an IntegrityError, since it means the archive was damaged or forged, and so
// is data beyond the RowLimits the archive's own records imply.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::core::rowcodec {

// What the data may hold; beyond it is an IntegrityError raised before the row that crosses
// a bound is handed on (or, for its bytes, held). The decoder holds one row at a time, so
// max_row_bytes and max_fields bound its memory.
struct RowLimits {
  std::uint64_t max_row_bytes = std::numeric_limits<std::uint64_t>::max(); // value bytes
  std::size_t max_fields = std::numeric_limits<std::size_t>::max();
  std::optional<std::size_t> fields; // when known: every row has exactly this many
  std::uint64_t max_rows = std::numeric_limits<std::uint64_t>::max();
};

class RowDecoder : public io::ByteSink {
public:
  // The fields passed to `on_row` are valid only during the call.
  using RowCallback = std::function<void(std::span<const std::optional<std::string_view>>)>;

  // `label` names the data in errors ("postal/credentials.0001: ...").
  RowDecoder(RowCallback on_row, std::string label, RowLimits limits = {});

  using io::ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override; // throws IntegrityError when the last row is incomplete

  [[nodiscard]] std::uint64_t rows() const noexcept { return m_rows; }

private:
  struct Field {
    std::size_t begin;
    bool null;
  };

  // Rows above this keep no memory once passed; below it the buffer is reused row to row.
  static constexpr std::size_t k_kept_capacity = std::size_t{1} << 20;

  void append(const char* data, std::size_t size);
  void check_room(std::size_t size) const;
  void end_field();
  void end_row();
  void unescape(char letter);
  [[noreturn]] void fail(const std::string& why) const;

  RowCallback m_on_row;
  std::string m_label;
  RowLimits m_limits;

  std::string m_data;          // unescaped bytes of the current row's fields
  std::vector<Field> m_fields; // finished fields of the current row
  std::vector<std::optional<std::string_view>> m_views;
  std::size_t m_field_begin = 0;
  bool m_field_null = false;
  bool m_escape_pending = false; // the last byte written was a backslash
  std::uint64_t m_rows = 0;
};

} // namespace pbk::core::rowcodec
