// SPDX-License-Identifier: MIT
// One fetched row, borrowed from the client library: valid until the next fetch on the same
// result. Values are byte strings with explicit lengths (NUL bytes are data), and SQL NULL
// stays distinct from the empty string.
#pragma once

#include <cstddef>
#include <string_view>

namespace pbk::core::db {

class RowView {
public:
  RowView() = default;

  // `row` and `lengths` as returned by mysql_fetch_row / mysql_fetch_lengths.
  RowView(char** row, const unsigned long* lengths, std::size_t size) noexcept
      : m_row(row),
        m_lengths(lengths),
        m_size(size) {}

  [[nodiscard]] std::size_t size() const noexcept { return m_size; }

  [[nodiscard]] bool is_null(std::size_t i) const noexcept { return m_row[i] == nullptr; }

  // The bytes of field `i`; empty for NULL (check is_null first).
  [[nodiscard]] std::string_view value(std::size_t i) const noexcept {
    return m_row[i] == nullptr ? std::string_view() : std::string_view(m_row[i], m_lengths[i]);
  }

private:
  char** m_row = nullptr;
  const unsigned long* m_lengths = nullptr;
  std::size_t m_size = 0;
};

} // namespace pbk::core::db
