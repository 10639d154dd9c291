// SPDX-License-Identifier: MIT
#include "archive/create_table_statement.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"

#include <algorithm>

namespace pbk::archive {
namespace {

using core::db::Connection;

// '...' with quotes doubled. Backslashes and control characters are refused (the lexer never
// yields them), so the literal reads the same under every sql_mode.
std::string sql_string(std::string_view value) {
  const bool plain = std::none_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\\' || u < 0x20 || u == 0x7F;
  });
  if (!plain) {
    throw DefinitionRefused("a string holds a backslash or a control character");
  }
  std::string out = "'";
  for (const char c : value) {
    out += c == '\'' ? "''" : std::string(1, c);
  }
  return out + "'";
}

std::string name(std::string_view identifier) {
  if (identifier.empty() || std::any_of(identifier.begin(), identifier.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      })) {
    throw DefinitionRefused("a name is empty or holds a control character");
  }
  return Connection::quote_identifier(identifier);
}

std::string plain_name(std::string_view charset_name) {
  if (!is_charset_name(charset_name)) {
    throw DefinitionRefused("a character set or collation is not a plain name");
  }
  return std::string(charset_name);
}

std::string number(std::string_view text) {
  const bool plain =
      !text.empty() && text.size() <= 80 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
      });
  if (!plain) {
    throw DefinitionRefused("a DEFAULT is not a number");
  }
  return std::string(text);
}

std::string current_timestamp(const std::optional<unsigned>& precision) {
  return precision ? "current_timestamp(" + std::to_string(*precision) + ")"
                   : std::string("current_timestamp()");
}

std::string default_clause(const ColumnDefault& value) {
  switch (value.kind) {
  case ColumnDefault::Kind::null:
    return " DEFAULT NULL";
  case ColumnDefault::Kind::number:
    return " DEFAULT " + number(value.text);
  case ColumnDefault::Kind::string:
    return " DEFAULT " + sql_string(value.text);
  case ColumnDefault::Kind::current_timestamp:
    return " DEFAULT " + current_timestamp(value.precision);
  }
  return {};
}

std::string type_clause(const ColumnDefinition& column) {
  std::string out = plain_name(column.type); // lower-case letters only, from the allow-list
  for (std::size_t i = 0; i < column.size.size(); ++i) {
    out += (i == 0 ? "(" : ",") + std::to_string(column.size[i]);
  }
  return out + (column.size.empty() ? "" : ")") + (column.is_unsigned ? " unsigned" : "");
}

std::string column_line(const ColumnDefinition& column) {
  std::string out = "  " + name(column.name) + " " + type_clause(column);
  if (!column.charset.empty()) {
    out += " CHARACTER SET " + plain_name(column.charset);
  }
  if (!column.collation.empty()) {
    out += " COLLATE " + plain_name(column.collation);
  }
  if (column.nullable) {
    out += *column.nullable ? " NULL" : " NOT NULL";
  }
  if (column.default_value) {
    out += default_clause(*column.default_value);
  }
  if (column.on_update_current_timestamp) {
    out += " ON UPDATE " + current_timestamp(*column.on_update_current_timestamp);
  }
  out += column.auto_increment ? " AUTO_INCREMENT" : "";
  return out + (column.comment ? " COMMENT " + sql_string(*column.comment) : "");
}

std::string index_line(const IndexDefinition& index) {
  std::string out = index.kind == IndexDefinition::Kind::primary  ? "  PRIMARY KEY ("
                    : index.kind == IndexDefinition::Kind::unique ? "  UNIQUE KEY "
                                                                  : "  KEY ";
  if (index.kind != IndexDefinition::Kind::primary) {
    out += name(index.name) + " (";
  }
  for (std::size_t i = 0; i < index.parts.size(); ++i) {
    const auto& part = index.parts[i];
    out += (i == 0 ? "" : ",") + name(part.column);
    out += part.prefix ? "(" + std::to_string(*part.prefix) + ")" : "";
  }
  out += ")";
  if (index.algorithm == "BTREE" || index.algorithm == "HASH") {
    out += " USING " + index.algorithm;
  } else if (!index.algorithm.empty()) {
    throw DefinitionRefused("an index algorithm is not BTREE or HASH");
  }
  return out;
}

std::string table_options(const TableDefinition& definition) {
  std::string out = " ENGINE=InnoDB";
  if (definition.auto_increment) {
    out += " AUTO_INCREMENT=" + std::to_string(*definition.auto_increment);
  }
  if (!definition.charset.empty()) {
    out += " DEFAULT CHARSET=" + plain_name(definition.charset);
  }
  if (!definition.collation.empty()) {
    out += " COLLATE=" + plain_name(definition.collation);
  }
  if (!definition.row_format.empty()) {
    out += " ROW_FORMAT=" + plain_name(definition.row_format);
  }
  if (definition.key_block_size) {
    out += " KEY_BLOCK_SIZE=" + std::to_string(*definition.key_block_size);
  }
  return out + (definition.comment ? " COMMENT=" + sql_string(*definition.comment) : "");
}

// Postal 3.x targets: only COMPACT and REDUNDANT must change (A3 of the design's restore).
void apply_row_format(CheckedCreateTable& checked, const CreateTableOptions& options) {
  auto& format = checked.definition.row_format;
  if (options.force_dynamic_row_format && (format == "COMPACT" || format == "REDUNDANT")) {
    checked.previous_row_format = format;
    checked.row_format_changed = true;
    format = "DYNAMIC";
  }
}

} // namespace

std::string create_table_sql(const TableDefinition& definition) {
  std::string sql = "CREATE TABLE " + name(definition.name) + " (\n";
  bool first = true;
  for (const auto& column : definition.columns) {
    sql += (first ? "" : ",\n") + column_line(column);
    first = false;
  }
  for (const auto& index : definition.indexes) {
    sql += ",\n" + index_line(index);
  }
  return sql + "\n)" + table_options(definition);
}

CheckedCreateTable checked_create_table(std::string_view sql,
                                        std::string_view table,
                                        const CreateTableOptions& options,
                                        const std::string& label) {
  try {
    CheckedCreateTable checked;
    checked.definition = parse_table_definition(sql, table);
    apply_row_format(checked, options);
    checked.sql = create_table_sql(checked.definition);
    return checked;
  } catch (const DefinitionRefused& refusal) {
    throw core::IntegrityError(label + ": schema of " + std::string(table)
                               + " is refused: " + refusal.what());
  }
}

} // namespace pbk::archive
