// SPDX-License-Identifier: MIT
// canonical_schema: the pure half of the schema hash. Every normalisation here exists because
// MariaDB and MySQL (or two Postal installs that went different ways to the same schema) report
// the same definition differently; docs/format.md "Schema hash" is the specification, and any
// change to the output must bump k_canonical_version there and here.
#include "postal/schema_hash.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace pbk::postal {

namespace {

constexpr std::string_view k_canonical_version = "1";
constexpr std::string_view k_raw_table_pattern = "raw-*";
constexpr std::string_view k_rails_metadata_table = "ar_internal_metadata";
constexpr std::string_view k_rails_migrations_table = "schema_migrations";
constexpr std::string_view k_unknown = "\\N";

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty()
         && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Splits "word(args)rest" into its parts; false when `text` has no "(...)" after a word.
bool split_parenthesised(std::string_view text,
                         std::string_view& word,
                         std::string_view& args,
                         std::string_view& rest) {
  const auto open = text.find('(');
  const auto close = text.find(')', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    return false;
  }
  word = text.substr(0, open);
  args = text.substr(open + 1, close - open - 1);
  rest = text.substr(close + 1);
  return true;
}

// current_timestamp / current_timestamp() / CURRENT_TIMESTAMP(6) → CURRENT_TIMESTAMP[(6)].
std::string normalize_current_timestamp(std::string_view value) {
  const auto lower = to_lower(value);
  if (lower == "current_timestamp" || lower == "current_timestamp()") {
    return "CURRENT_TIMESTAMP";
  }
  std::string_view word, args, rest;
  if (split_parenthesised(lower, word, args, rest) && word == "current_timestamp"
      && all_digits(args) && rest.empty()) {
    return "CURRENT_TIMESTAMP(" + std::string(args) + ")";
  }
  return std::string(value);
}

char unescape_char(char escaped) {
  switch (escaped) {
  case '0':
    return '\0';
  case 'n':
    return '\n';
  case 'r':
    return '\r';
  case 't':
    return '\t';
  case 'Z':
    return '\x1a';
  default:
    return escaped; // \\, \' and any other escaped byte stand for themselves
  }
}

// MariaDB writes string defaults as SQL literals: 'it''s', with \\, \0, \n, \r, \Z escapes.
std::string unquote_mariadb_literal(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    const char c = quoted[i];
    if (c == '\'' && quoted[i + 1] == '\'' && i + 2 < quoted.size()) {
      out += '\'';
      ++i;
    } else if (c == '\\' && i + 2 < quoted.size()) {
      out += unescape_char(quoted[++i]);
    } else {
      out += c;
    }
  }
  return out;
}

bool is_temporal_type(std::string_view normalized_type) {
  return normalized_type.starts_with("datetime") || normalized_type.starts_with("timestamp");
}

// The field escaping of the data members (LOAD DATA TSV): a canonical line is unambiguous
// whatever bytes a name or default holds.
std::string escape_field(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '\0':
      out += "\\0";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\x1a':
      out += "\\Z";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string escape_optional(const std::optional<std::string>& value) {
  return value ? escape_field(*value) : std::string("\\N");
}

std::string nullable_field(std::string_view value) {
  return value.empty() ? std::string("\\N") : escape_field(value);
}

// Rails creates its two bookkeeping tables without naming a charset, so they take the database's
// default collation (which Postal's install docs and Rails' db:create choose differently), and
// Rails 5.0/5.1 gave their key columns utf8mb3 inside a utf8mb4 database, which no later Rails
// changes. Their collations therefore say how a database was created, not what Postal needs.
bool is_rails_bookkeeping(const TableInfo& table) {
  return table.name == k_rails_metadata_table || table.name == k_rails_migrations_table;
}

std::string column_line(const ColumnInfo& column, const TableInfo& table, bool from_mariadb) {
  auto type = normalize_column_type(column.column_type);
  if (table.name == k_rails_metadata_table) {
    // Rails 5 created these timestamps as datetime, Rails 6+ as datetime(6); Rails never
    // alters the table, so both are correct Postal databases.
    type = drop_datetime_precision(type);
  }
  std::string line = "column\t" + escape_field(column.name) + '\t' + escape_field(type);
  line += column.nullable ? "\tnull\t" : "\tnot-null\t";
  line += escape_optional(normalize_default(column, from_mariadb)) + '\t';
  line += escape_field(normalize_extra(column.extra)) + '\t';
  if (is_rails_bookkeeping(table)) {
    line += std::string(k_unknown) + '\t' + std::string(k_unknown) + '\n';
    return line;
  }
  line += nullable_field(normalize_charset_name(column.charset)) + '\t';
  line += nullable_field(normalize_charset_name(column.collation)) + '\n';
  return line;
}

std::string index_line(const IndexInfo& index) {
  std::string line = "index\t" + escape_field(index.name);
  line += index.unique ? "\tunique\t" : "\tnon-unique\t";
  line += escape_field(index.type);
  for (const auto& [column, prefix] : index.columns) {
    line += '\t' + escape_field(column) + '\t';
    line += prefix ? std::to_string(*prefix) : std::string("\\N");
  }
  return line + '\n';
}

// Lines start with a fixed keyword and the escaped name, so sorting lines sorts by name.
void append_sorted(std::string& text, std::vector<std::string>& lines) {
  std::sort(lines.begin(), lines.end());
  for (const auto& line : lines) {
    text += line;
  }
}

std::string table_block(const TableInfo& table, std::string_view shown_name, bool from_mariadb) {
  const std::string collation = is_rails_bookkeeping(table)
                                    ? std::string(k_unknown)
                                    : escape_field(normalize_charset_name(table.collation));
  std::string block = "table\t" + escape_field(shown_name) + '\t' + escape_field(table.engine)
                      + '\t' + collation + '\n';
  std::vector<std::string> column_lines;
  for (const auto& column : table.columns) {
    column_lines.push_back(column_line(column, table, from_mariadb));
  }
  std::vector<std::string> index_lines;
  for (const auto& index : table.indexes) {
    index_lines.push_back(index_line(index));
  }
  append_sorted(block, column_lines);
  append_sorted(block, index_lines);
  return block;
}

} // namespace

std::string normalize_column_type(std::string_view column_type) {
  // Display widths are cosmetic and MySQL 8.0.19+ no longer reports them (except tinyint(1)).
  static constexpr std::array k_integer_types = {
      "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year"};
  std::string_view word, args, rest;
  if (split_parenthesised(column_type, word, args, rest) && all_digits(args)) {
    const auto lower_word = to_lower(word);
    if (std::find(k_integer_types.begin(), k_integer_types.end(), lower_word)
        != k_integer_types.end()) {
      return std::string(word) + std::string(rest);
    }
  }
  return std::string(column_type);
}

std::optional<std::string> normalize_default(const ColumnInfo& column, bool from_mariadb) {
  if (!column.default_value) {
    return std::nullopt;
  }
  const std::string& value = *column.default_value;
  if (from_mariadb) {
    if (value == "NULL") {
      return std::nullopt;
    }
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      return unquote_mariadb_literal(value);
    }
    return normalize_current_timestamp(value);
  }
  // MySQL reports values raw: only a temporal column's CURRENT_TIMESTAMP is an expression.
  if (is_temporal_type(to_lower(column.column_type))) {
    return normalize_current_timestamp(value);
  }
  return value;
}

std::string drop_datetime_precision(std::string_view type) {
  std::string_view word, args, rest;
  if (split_parenthesised(type, word, args, rest) && (word == "datetime" || word == "timestamp")
      && all_digits(args)) {
    return std::string(word) + std::string(rest);
  }
  return std::string(type);
}

std::string normalize_extra(std::string_view extra) {
  std::string out;
  std::size_t pos = 0;
  const auto lower = to_lower(extra);
  while (pos < lower.size()) {
    const auto start = lower.find_first_not_of(" \t", pos);
    if (start == std::string::npos) {
      break;
    }
    const auto end = std::min(lower.find_first_of(" \t", start), lower.size());
    const auto token = std::string_view(lower).substr(start, end - start);
    pos = end;
    // MySQL 8 flags expression defaults; the default itself is already in the canonical text.
    if (token == "default_generated") {
      continue;
    }
    out += out.empty() ? "" : " ";
    out += normalize_current_timestamp(token);
  }
  return out;
}

std::string normalize_charset_name(std::string_view name) {
  // MariaDB < 10.6 and MySQL < 8.0.30 call utf8mb3 "utf8"; newer servers report the real name.
  if (name == "utf8") {
    return "utf8mb3";
  }
  if (name.starts_with("utf8_")) {
    return "utf8mb3_" + std::string(name.substr(5));
  }
  return std::string(name);
}

bool is_raw_table_name(std::string_view table_name) {
  static constexpr std::string_view k_shape = "raw-0000-00-00";
  if (table_name.size() != k_shape.size()) {
    return false;
  }
  for (std::size_t i = 0; i < k_shape.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(table_name[i])) != 0;
    if (k_shape[i] == '0' ? !digit : table_name[i] != k_shape[i]) {
      return false;
    }
  }
  return true;
}

std::string canonical_schema(const SchemaInfo& schema) {
  std::vector<std::string> blocks;
  for (const auto& table : schema.tables) {
    const std::string_view shown =
        is_raw_table_name(table.name) ? k_raw_table_pattern : std::string_view(table.name);
    blocks.push_back(table_block(table, shown, schema.from_mariadb));
  }
  // A block starts "table<TAB><name><TAB>", so sorting blocks sorts tables by name.
  std::sort(blocks.begin(), blocks.end());
  // Postal creates one raw table per day: each distinct definition counts once, not each day.
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
  std::string text = "pbk-schema\t" + std::string(k_canonical_version) + '\n';
  for (const auto& block : blocks) {
    text += block;
  }
  return text;
}

} // namespace pbk::postal
