// SPDX-License-Identifier: MIT
#include "restore/table_columns.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace pbk::restore {
namespace {

// The words a definition that is not a column starts with.
constexpr std::array<std::string_view, 10> k_not_columns = {"PRIMARY",
                                                            "UNIQUE",
                                                            "KEY",
                                                            "INDEX",
                                                            "FULLTEXT",
                                                            "SPATIAL",
                                                            "CONSTRAINT",
                                                            "FOREIGN",
                                                            "CHECK",
                                                            "PERIOD"};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Where the quoted text starting at `begin` ends (one past its closing quote); a quote
// doubled inside is part of the text, and so is a backslash-escaped character in strings.
std::size_t end_of_quoted(std::string_view sql, std::size_t begin) {
  const char quote = sql[begin];
  for (std::size_t i = begin + 1; i < sql.size(); ++i) {
    if (sql[i] == '\\' && quote != '`') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

bool starts_column(std::string_view sql, std::size_t at) {
  while (at < sql.size() && is_space(sql[at])) {
    ++at;
  }
  if (at >= sql.size() || sql[at] == ')') {
    return false;
  }
  if (sql[at] == '`') {
    return true;
  }
  std::string word;
  while (at < sql.size()
         && (std::isalnum(static_cast<unsigned char>(sql[at])) != 0 || sql[at] == '_')) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[at]))));
    ++at;
  }
  return !word.empty()
         && std::find(k_not_columns.begin(), k_not_columns.end(), word) == k_not_columns.end();
}

} // namespace

std::size_t column_count(std::string_view sql) {
  std::size_t columns = 0;
  int depth = 0;
  for (std::size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      i = end_of_quoted(sql, i);
      continue;
    }
    if (c == '(' || c == ',') {
      depth += c == '(' ? 1 : 0;
      if (depth == 1 && starts_column(sql, i + 1)) {
        ++columns;
      }
    } else if (c == ')') {
      if (--depth == 0) {
        break;
      }
    }
    ++i;
  }
  return columns;
}

} // namespace pbk::restore
