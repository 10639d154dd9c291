// SPDX-License-Identifier: MIT
// Escaping follows the server's string-literal rules (backslash escapes, sql_mode without
// NO_BACKSLASH_ESCAPES); only the bytes that would end or corrupt a literal, or that a
// careless line-based tool would mangle, are escaped.
#include "tests/generator/sql_out.hpp"

#include <array>
#include <cstring>
#include <stdexcept>

namespace pbk::tests::generator {
namespace {

constexpr std::size_t k_out_buffer = 16u << 20;
constexpr std::size_t k_statement_soft_limit = 8u << 20;

constexpr std::array<char, 512> make_hex_table() {
  std::array<char, 512> table{};
  constexpr char digits[] = "0123456789ABCDEF";
  for (int i = 0; i < 256; ++i) {
    table[2 * i] = digits[i >> 4];
    table[2 * i + 1] = digits[i & 15];
  }
  return table;
}

constexpr auto k_hex = make_hex_table();

} // namespace

SqlOut::SqlOut(std::FILE* file)
    : m_file(file) {
  m_buffer.reserve(k_out_buffer);
}

void SqlOut::write(std::string_view text) {
  m_bytes += text.size();
  // Large statements bypass the buffer, so whatever is buffered must go out first.
  if (m_buffer.size() + text.size() > k_out_buffer || text.size() >= k_out_buffer / 2) {
    flush();
  }
  if (text.size() >= k_out_buffer / 2) {
    if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size()) {
      throw std::runtime_error("cannot write SQL to the output: "
                               + std::string(std::strerror(errno)));
    }
    return;
  }
  m_buffer.append(text);
}

void SqlOut::flush() {
  if (!m_buffer.empty()
      && std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size()) {
    throw std::runtime_error("cannot write SQL to the output: "
                             + std::string(std::strerror(errno)));
  }
  m_buffer.clear();
  if (std::fflush(m_file) != 0) {
    throw std::runtime_error("cannot write SQL to the output: "
                             + std::string(std::strerror(errno)));
  }
}

void append_text(std::string& out, std::string_view value) {
  out.reserve(out.size() + value.size() + 2);
  out.push_back('\'');
  std::size_t plain = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    char escaped = 0;
    switch (c) {
    case '\0':
      escaped = '0';
      break;
    case '\n':
      escaped = 'n';
      break;
    case '\r':
      escaped = 'r';
      break;
    case '\t':
      escaped = 't';
      break;
    case '\x1a':
      escaped = 'Z';
      break;
    case '\\':
      escaped = '\\';
      break;
    case '\'':
      escaped = '\'';
      break;
    default:
      continue;
    }
    out.append(value.data() + plain, i - plain);
    out.push_back('\\');
    out.push_back(escaped);
    plain = i + 1;
  }
  out.append(value.data() + plain, value.size() - plain);
  out.push_back('\'');
}

void append_hex(std::string& out, std::string_view bytes) {
  if (bytes.empty()) {
    out.append("''");
    return;
  }
  const std::size_t start = out.size();
  out.resize(start + 2 + 2 * bytes.size());
  char* p = out.data() + start;
  *p++ = '0';
  *p++ = 'x';
  for (unsigned char b : bytes) {
    std::memcpy(p, &k_hex[2 * b], 2);
    p += 2;
  }
}

std::string quote_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    out.push_back(c);
    if (c == '`') {
      out.push_back('`');
    }
  }
  return out + '`';
}

Insert::Insert(SqlOut& out,
               std::string_view table,
               std::span<const Column> columns,
               std::string_view level,
               std::size_t max_rows)
    : m_out(out),
      m_max_rows(max_rows) {
  m_header = "INSERT INTO " + quote_identifier(table) + " (";
  bool first = true;
  for (const Column& column : columns) {
    const bool keep = level.empty()
                      || ((column.since.empty() || column.since <= level)
                          && (column.until.empty() || level < column.until));
    m_keep.push_back(keep);
    m_names.push_back(column.name);
    if (keep) {
      m_header += (first ? "" : ", ") + quote_identifier(column.name);
      first = false;
    }
  }
  m_header += ") VALUES\n";
}

bool Insert::has(std::string_view column) const {
  for (std::size_t i = 0; i < m_names.size(); ++i) {
    if (m_names[i] == column) {
      return m_keep[i];
    }
  }
  return false;
}

Insert& Insert::row() {
  close_row();
  if (m_statement_rows >= m_max_rows || m_statement.size() >= k_statement_soft_limit) {
    flush_statement();
  }
  if (m_statement_rows == 0) {
    m_statement = m_header;
  } else {
    m_statement.append(",\n");
  }
  m_statement.push_back('(');
  m_in_row = true;
  m_column = 0;
  m_kept_in_row = 0;
  ++m_statement_rows;
  ++m_rows;
  return *this;
}

bool Insert::next_value() {
  if (!m_in_row || m_column >= m_keep.size()) {
    throw std::logic_error("too many values for " + m_header);
  }
  if (!m_keep[m_column++]) {
    return false;
  }
  if (m_kept_in_row++ > 0) {
    m_statement.push_back(',');
  }
  return true;
}

Insert& Insert::null() {
  if (next_value()) {
    m_statement.append("NULL");
  }
  return *this;
}

Insert& Insert::num(std::int64_t value) {
  if (next_value()) {
    m_statement.append(std::to_string(value));
  }
  return *this;
}

Insert& Insert::literal(std::string_view sql) {
  if (next_value()) {
    m_statement.append(sql);
  }
  return *this;
}

Insert& Insert::text(std::string_view value) {
  if (next_value()) {
    append_text(m_statement, value);
  }
  return *this;
}

Insert& Insert::text_or_null(bool present, std::string_view value) {
  return present ? text(value) : null();
}

Insert& Insert::literal_or_null(bool present, std::string_view sql) {
  return present ? literal(sql) : null();
}

Insert& Insert::blob(std::string_view bytes) {
  if (next_value()) {
    append_hex(m_statement, bytes);
  }
  return *this;
}

void Insert::close_row() {
  if (!m_in_row) {
    return;
  }
  if (m_column != m_keep.size()) {
    throw std::logic_error("missing values for " + m_header);
  }
  m_statement.push_back(')');
  m_in_row = false;
}

void Insert::flush_statement() {
  if (m_statement_rows == 0) {
    return;
  }
  m_statement.append(";\n");
  m_out.write(m_statement);
  m_statement.clear();
  m_statement_rows = 0;
}

void Insert::finish() {
  close_row();
  flush_statement();
}

} // namespace pbk::tests::generator
