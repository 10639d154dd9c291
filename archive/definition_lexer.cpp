// SPDX-License-Identifier: MIT
#include "archive/definition_lexer.hpp"

#include "archive/table_definition.hpp"

#include <cstdio>

namespace pbk::archive {
namespace {

constexpr std::size_t k_max_identifier = 64; // the server's own limit
constexpr std::size_t k_max_string = 2048;   // a COMMENT or a DEFAULT
constexpr std::size_t k_max_number = 80;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

std::string upper(std::string text) {
  for (auto& c : text) {
    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return text;
}

std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 40)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '\\') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return text.size() > 40 ? out + "..." : out;
}

} // namespace

const DefinitionToken& DefinitionLexer::peek() {
  if (!m_peeked) {
    m_peeked = read();
  }
  return *m_peeked;
}

DefinitionToken DefinitionLexer::next() {
  if (m_peeked) {
    DefinitionToken token = std::move(*m_peeked);
    m_peeked.reset();
    return token;
  }
  return read();
}

void DefinitionLexer::skip_space() {
  while (m_pos < m_sql.size() && is_space(m_sql[m_pos])) {
    ++m_pos;
  }
}

DefinitionToken DefinitionLexer::read() {
  using Kind = DefinitionToken::Kind;
  skip_space();
  if (m_pos >= m_sql.size()) {
    return {Kind::end, {}};
  }
  const std::string_view rest = m_sql.substr(m_pos);
  const char c = rest[0];
  if (rest.starts_with("/*") || rest.starts_with("--") || c == '#') {
    throw DefinitionRefused("it holds a comment, which SHOW CREATE TABLE never writes");
  }
  if (c == '`') {
    return {Kind::identifier, quoted('`', k_max_identifier)};
  }
  if (c == '\'') {
    return {Kind::string, quoted('\'', k_max_string)};
  }
  if (is_digit(c)) {
    return {Kind::number, number()};
  }
  if (is_word_char(c)) {
    std::size_t end = m_pos;
    while (end < m_sql.size() && is_word_char(m_sql[end])) {
      ++end;
    }
    if (end - m_pos > k_max_identifier) {
      throw DefinitionRefused("it holds a word longer than 64 bytes");
    }
    std::string word(m_sql.substr(m_pos, end - m_pos));
    m_pos = end;
    return {Kind::word, upper(std::move(word))};
  }
  if (c == '(' || c == ')' || c == ',' || c == '=' || c == ';' || c == '-') {
    ++m_pos;
    return {Kind::symbol, std::string(1, c)};
  }
  throw DefinitionRefused("it holds the unexpected character '" + printable(rest.substr(0, 1))
                          + "'");
}

// `...` or '...' with the quote doubled inside. A backslash is refused: what it means depends
// on the sql_mode of the session that printed the text.
std::string DefinitionLexer::quoted(char quote, std::size_t limit) {
  std::string value;
  for (std::size_t i = m_pos + 1; i < m_sql.size(); ++i) {
    const char c = m_sql[i];
    if (c == quote) {
      if (i + 1 < m_sql.size() && m_sql[i + 1] == quote) {
        value += c;
        ++i;
        continue;
      }
      m_pos = i + 1;
      if (quote == '`' && value.empty()) {
        throw DefinitionRefused("it holds an empty name");
      }
      return value;
    }
    if (c == '\\' || is_control(c)) {
      throw DefinitionRefused("a quoted value holds a backslash or a control character");
    }
    if (value.size() >= limit) {
      throw DefinitionRefused("a quoted value is longer than " + std::to_string(limit) + " bytes");
    }
    value += c;
  }
  throw DefinitionRefused("a quoted value is not closed");
}

// Digits, optionally with a fraction and an exponent (DEFAULT 1.50, DEFAULT 1e10).
std::string DefinitionLexer::number() {
  std::size_t end = m_pos;
  const auto digits = [&] {
    while (end < m_sql.size() && is_digit(m_sql[end])) {
      ++end;
    }
  };
  digits();
  if (end + 1 < m_sql.size() && m_sql[end] == '.' && is_digit(m_sql[end + 1])) {
    ++end;
    digits();
  }
  if (end < m_sql.size() && (m_sql[end] == 'e' || m_sql[end] == 'E')) {
    ++end;
    if (end < m_sql.size() && (m_sql[end] == '+' || m_sql[end] == '-')) {
      ++end;
    }
    const std::size_t exponent = end;
    digits();
    if (end == exponent) {
      throw DefinitionRefused("it holds a malformed number");
    }
  }
  if (end < m_sql.size() && is_word_char(m_sql[end])) {
    throw DefinitionRefused("it holds a malformed number");
  }
  if (end - m_pos > k_max_number) {
    throw DefinitionRefused("it holds a number longer than " + std::to_string(k_max_number)
                            + " digits");
  }
  std::string text(m_sql.substr(m_pos, end - m_pos));
  m_pos = end;
  return text;
}

std::string shown(const DefinitionToken& token) {
  using Kind = DefinitionToken::Kind;
  switch (token.kind) {
  case Kind::end:
    return "the end of the statement";
  case Kind::identifier:
    return "`" + printable(token.text) + "`";
  case Kind::string:
    return "'" + printable(token.text) + "'";
  default:
    return printable(token.text);
  }
}

} // namespace pbk::archive
