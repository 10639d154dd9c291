// SPDX-License-Identifier: MIT
// SQL text output of the Postal data generator: a buffered writer for stdout and batched
// multi-row INSERT statements with explicit column lists. Statements stay far below the
// 64 MiB a default client/server accepts; text is single-quoted with backslash escapes
// (default sql_mode), binary data is written as 0x hex literals.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::tests::generator {

class SqlOut {
public:
  explicit SqlOut(std::FILE* file);
  SqlOut(const SqlOut&) = delete;
  SqlOut& operator=(const SqlOut&) = delete;

  void write(std::string_view text);
  void flush();

  std::uint64_t bytes() const { return m_bytes; }

private:
  std::FILE* m_file;
  std::string m_buffer;
  std::uint64_t m_bytes = 0;
};

// A column of a table; present at schema level L when since <= L and (until empty or L < until).
struct Column {
  std::string_view name;
  std::string_view since = {};
  std::string_view until = {};
};

void append_text(std::string& out, std::string_view value);
void append_hex(std::string& out, std::string_view bytes);
std::string quote_identifier(std::string_view name);

// Rows of one table, flushed as `INSERT INTO t (cols) VALUES (...),(...);` every max_rows
// rows or when the statement passes a few MiB. Values are given for every column of the
// full list; those absent at the level are dropped, so callers need no level checks.
class Insert {
public:
  Insert(SqlOut& out,
         std::string_view table,
         std::span<const Column> columns,
         std::string_view level = {},
         std::size_t max_rows = 500);
  Insert(const Insert&) = delete;
  Insert& operator=(const Insert&) = delete;

  Insert& row();
  Insert& null();
  Insert& num(std::int64_t value);
  Insert& literal(std::string_view sql); // a number or expression, written verbatim
  Insert& text(std::string_view value);
  Insert& text_or_null(bool present, std::string_view value);
  Insert& literal_or_null(bool present, std::string_view sql);
  Insert& blob(std::string_view bytes);

  Insert& boolean(bool value) { return num(value ? 1 : 0); }

  void finish(); // writes the pending statement; call before the generator ends

  std::uint64_t rows() const { return m_rows; }

  bool has(std::string_view column) const;

private:
  bool next_value();
  void close_row();
  void flush_statement();

  SqlOut& m_out;
  std::string m_header;
  std::vector<bool> m_keep;
  std::vector<std::string_view> m_names;
  std::size_t m_max_rows;
  std::string m_statement;
  std::size_t m_statement_rows = 0;
  std::size_t m_column = 0;
  std::size_t m_kept_in_row = 0;
  bool m_in_row = false;
  std::uint64_t m_rows = 0;
};

} // namespace pbk::tests::generator
