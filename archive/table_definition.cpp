// SPDX-License-Identifier: MIT
#include "archive/table_definition.hpp"

#include "archive/definition_lexer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace pbk::archive {
namespace {

using Kind = DefinitionToken::Kind;

[[noreturn]] void refuse(const std::string& why) {
  throw DefinitionRefused(why);
}

std::string lower(std::string text) {
  for (auto& c : text) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return text;
}

enum class TypeClass { integer, decimal, floating, character, text, binary, blob, temporal };

struct TypeRule {
  std::string_view name;
  TypeClass kind;
  std::size_t min_args;
  std::size_t max_args;
  std::uint32_t max_value; // of the first argument
};

// Every column type Postal's tables use, with the sizes the server itself accepts.
constexpr auto k_types = std::to_array<TypeRule>({
    {"TINYINT", TypeClass::integer, 0, 1, 255},   {"SMALLINT", TypeClass::integer, 0, 1, 255},
    {"MEDIUMINT", TypeClass::integer, 0, 1, 255}, {"INT", TypeClass::integer, 0, 1, 255},
    {"BIGINT", TypeClass::integer, 0, 1, 255},    {"DECIMAL", TypeClass::decimal, 0, 2, 65},
    {"FLOAT", TypeClass::floating, 0, 2, 255},    {"DOUBLE", TypeClass::floating, 0, 2, 255},
    {"CHAR", TypeClass::character, 1, 1, 255},    {"VARCHAR", TypeClass::character, 1, 1, 65535},
    {"TINYTEXT", TypeClass::text, 0, 0, 0},       {"TEXT", TypeClass::text, 0, 0, 0},
    {"MEDIUMTEXT", TypeClass::text, 0, 0, 0},     {"LONGTEXT", TypeClass::text, 0, 0, 0},
    {"BINARY", TypeClass::binary, 1, 1, 255},     {"VARBINARY", TypeClass::binary, 1, 1, 65535},
    {"TINYBLOB", TypeClass::blob, 0, 0, 0},       {"BLOB", TypeClass::blob, 0, 0, 0},
    {"MEDIUMBLOB", TypeClass::blob, 0, 0, 0},     {"LONGBLOB", TypeClass::blob, 0, 0, 0},
    {"DATE", TypeClass::temporal, 0, 0, 0},       {"DATETIME", TypeClass::temporal, 0, 1, 6},
    {"TIMESTAMP", TypeClass::temporal, 0, 1, 6},  {"TIME", TypeClass::temporal, 0, 1, 6},
});

const TypeRule& type_rule(std::string_view name) {
  const auto found = std::find_if(
      k_types.begin(), k_types.end(), [&](const TypeRule& rule) { return rule.name == name; });
  if (found == k_types.end()) {
    refuse("column type " + std::string(name) + " is not one restore accepts");
  }
  return *found;
}

bool is_numeric(TypeClass kind) {
  return kind == TypeClass::integer || kind == TypeClass::decimal || kind == TypeClass::floating;
}

bool takes_charset(TypeClass kind) {
  return kind == TypeClass::character || kind == TypeClass::text;
}

std::uint64_t parse_unsigned(const DefinitionToken& token, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto* end = token.text.data() + token.text.size();
  const auto [ptr, ec] = std::from_chars(token.text.data(), end, value);
  if (token.kind != Kind::number || ec != std::errc() || ptr != end || value > max) {
    refuse("expected a whole number up to " + std::to_string(max) + ", found " + shown(token));
  }
  return value;
}

void expect(DefinitionLexer& lexer, char symbol) {
  const auto token = lexer.next();
  if (!token.is(symbol)) {
    refuse(std::string("expected '") + symbol + "', found " + shown(token));
  }
}

void expect_word(DefinitionLexer& lexer, std::string_view word) {
  const auto token = lexer.next();
  if (!token.is_word(word)) {
    refuse("expected " + std::string(word) + ", found " + shown(token));
  }
}

std::string identifier(DefinitionLexer& lexer) {
  auto token = lexer.next();
  if (token.kind != Kind::identifier) {
    refuse("expected a quoted name, found " + shown(token));
  }
  return std::move(token.text);
}

std::string charset_name(DefinitionLexer& lexer) {
  auto token = lexer.next();
  if ((token.kind != Kind::word && token.kind != Kind::identifier)
      || !is_charset_name(token.text)) {
    refuse("expected a character set or collation name, found " + shown(token));
  }
  return lower(std::move(token.text));
}

std::string string_literal(DefinitionLexer& lexer) {
  auto token = lexer.next();
  if (token.kind != Kind::string) {
    refuse("expected a quoted string, found " + shown(token));
  }
  return std::move(token.text);
}

// An optional "(n)" or "(p,s)" after a type or CURRENT_TIMESTAMP.
std::vector<std::uint32_t> size_arguments(DefinitionLexer& lexer, std::uint32_t max) {
  std::vector<std::uint32_t> args;
  if (!lexer.peek().is('(')) {
    return args;
  }
  (void)lexer.next();
  if (lexer.peek().is(')')) { // current_timestamp()
    (void)lexer.next();
    return args;
  }
  do {
    if (args.size() == 2) {
      refuse("a type has more than two size arguments");
    }
    args.push_back(static_cast<std::uint32_t>(parse_unsigned(lexer.next(), max)));
    max = 38; // a scale
  } while (lexer.peek().is(',') && lexer.next().is(','));
  expect(lexer, ')');
  return args;
}

void parse_type(DefinitionLexer& lexer, ColumnDefinition& column, TypeClass& kind) {
  const auto token = lexer.next();
  if (token.kind != Kind::word) {
    refuse("column " + column.name + " has no type");
  }
  const TypeRule& rule = type_rule(token.text);
  column.type = lower(token.text);
  if (rule.max_args == 0 && lexer.peek().is('(')) {
    refuse("column " + column.name + " gives " + std::string(rule.name) + " a size");
  }
  column.size = size_arguments(lexer, rule.max_value);
  if (column.size.size() < rule.min_args || column.size.size() > rule.max_args) {
    refuse("column " + column.name + " has a malformed " + std::string(rule.name) + " size");
  }
  if (column.size.size() == 2 && column.size[1] > column.size[0]) {
    refuse("column " + column.name + " has a scale larger than its precision");
  }
  kind = rule.kind;
}

ColumnDefault current_timestamp(DefinitionLexer& lexer) {
  ColumnDefault value{ColumnDefault::Kind::current_timestamp, {}, {}};
  const auto args = size_arguments(lexer, 6);
  if (args.size() > 1) {
    refuse("current_timestamp has more than one argument");
  }
  if (!args.empty()) {
    value.precision = args[0];
  }
  return value;
}

ColumnDefault default_value(DefinitionLexer& lexer, TypeClass kind) {
  auto token = lexer.next();
  if (token.is_word("NULL")) {
    return {ColumnDefault::Kind::null, {}, {}};
  }
  if (token.kind == Kind::string) {
    return {ColumnDefault::Kind::string, std::move(token.text), {}};
  }
  const bool negative = token.is('-');
  if (negative) {
    token = lexer.next();
  }
  if (token.kind == Kind::number && is_numeric(kind)) {
    return {ColumnDefault::Kind::number, (negative ? "-" : "") + token.text, {}};
  }
  if (!negative && kind == TypeClass::temporal && token.is_word("CURRENT_TIMESTAMP")) {
    return current_timestamp(lexer);
  }
  refuse("a DEFAULT is not a literal (" + shown(token) + ")");
}

// Names why a column attribute is refused, for the attacks a crafted archive would try.
[[noreturn]] void refuse_attribute(const ColumnDefinition& column, const DefinitionToken& token) {
  const std::string where = "column " + column.name + ": ";
  if (token.is_word("GENERATED") || token.is_word("AS") || token.is_word("VIRTUAL")
      || token.is_word("PERSISTENT") || token.is_word("STORED")) {
    refuse(where + "generated columns are refused");
  }
  if (token.is_word("CHECK") || token.is_word("CONSTRAINT")) {
    refuse(where + "CHECK constraints are refused");
  }
  if (token.is_word("REFERENCES")) {
    refuse(where + "foreign keys are refused");
  }
  refuse(where + "unknown column attribute " + shown(token));
}

void parse_attribute(DefinitionLexer& lexer, ColumnDefinition& column, TypeClass kind) {
  const auto token = lexer.next();
  const auto set_once = [&](bool already) {
    if (already) {
      refuse("column " + column.name + " repeats " + shown(token));
    }
  };
  if (token.is_word("UNSIGNED") && is_numeric(kind)) {
    set_once(column.is_unsigned);
    column.is_unsigned = true;
  } else if ((token.is_word("CHARACTER") || token.is_word("CHARSET")) && takes_charset(kind)) {
    if (token.is_word("CHARACTER")) {
      expect_word(lexer, "SET");
    }
    set_once(!column.charset.empty());
    column.charset = charset_name(lexer);
  } else if (token.is_word("COLLATE") && takes_charset(kind)) {
    set_once(!column.collation.empty());
    column.collation = charset_name(lexer);
  } else if (token.is_word("NOT") || token.is_word("NULL")) {
    set_once(column.nullable.has_value());
    if (token.is_word("NOT")) {
      expect_word(lexer, "NULL");
    }
    column.nullable = token.is_word("NULL");
  } else if (token.is_word("DEFAULT")) {
    set_once(column.default_value.has_value());
    column.default_value = default_value(lexer, kind);
  } else if (token.is_word("ON") && kind == TypeClass::temporal) {
    expect_word(lexer, "UPDATE");
    expect_word(lexer, "CURRENT_TIMESTAMP");
    set_once(column.on_update_current_timestamp.has_value());
    column.on_update_current_timestamp = current_timestamp(lexer).precision;
  } else if (token.is_word("AUTO_INCREMENT") && kind == TypeClass::integer) {
    set_once(column.auto_increment);
    column.auto_increment = true;
  } else if (token.is_word("COMMENT")) {
    set_once(column.comment.has_value());
    column.comment = string_literal(lexer);
  } else {
    refuse_attribute(column, token);
  }
}

ColumnDefinition parse_column(DefinitionLexer& lexer) {
  ColumnDefinition column;
  column.name = identifier(lexer);
  TypeClass kind{};
  parse_type(lexer, column, kind);
  while (!lexer.peek().is(',') && !lexer.peek().is(')')) {
    if (lexer.peek().kind == Kind::end) {
      refuse("the column list is not closed");
    }
    parse_attribute(lexer, column, kind);
  }
  return column;
}

std::vector<KeyPart> key_parts(DefinitionLexer& lexer, const TableDefinition& table) {
  constexpr std::size_t k_max_key_parts = 32; // the server's own limit
  std::vector<KeyPart> parts;
  expect(lexer, '(');
  do {
    KeyPart part{identifier(lexer), {}};
    const auto known =
        std::any_of(table.columns.begin(), table.columns.end(), [&](const ColumnDefinition& c) {
          return c.name == part.column;
        });
    if (!known || parts.size() == k_max_key_parts) {
      refuse("an index names an unknown column or more than 32 columns");
    }
    if (lexer.peek().is('(')) {
      (void)lexer.next();
      part.prefix = static_cast<std::uint32_t>(parse_unsigned(lexer.next(), 65535));
      expect(lexer, ')');
    }
    parts.push_back(std::move(part));
  } while (lexer.peek().is(',') && lexer.next().is(','));
  expect(lexer, ')');
  return parts;
}

IndexDefinition parse_index(DefinitionLexer& lexer, const TableDefinition& table) {
  IndexDefinition index;
  const auto first = lexer.next();
  if (first.is_word("PRIMARY")) {
    index.kind = IndexDefinition::Kind::primary;
    expect_word(lexer, "KEY");
  } else {
    if (first.is_word("UNIQUE")) {
      index.kind = IndexDefinition::Kind::unique;
      if (!lexer.next().is_word("KEY")) {
        refuse("expected UNIQUE KEY");
      }
    }
    index.name = identifier(lexer);
  }
  index.parts = key_parts(lexer, table);
  if (lexer.peek().is_word("USING")) {
    (void)lexer.next();
    const auto algorithm = lexer.next();
    if (!algorithm.is_word("BTREE") && !algorithm.is_word("HASH")) {
      refuse("index algorithm " + shown(algorithm) + " is not BTREE or HASH");
    }
    index.algorithm = algorithm.text;
  }
  return index;
}

// Why a definition item that is neither a column nor a plain index is refused.
[[noreturn]] void refuse_item(const DefinitionToken& token) {
  if (token.is_word("CONSTRAINT") || token.is_word("CHECK")) {
    refuse("CHECK constraints and foreign keys are refused");
  }
  if (token.is_word("FOREIGN")) {
    refuse("foreign keys are refused");
  }
  refuse("unknown item " + shown(token) + " in the column list");
}

void parse_items(DefinitionLexer& lexer, TableDefinition& table) {
  do {
    if (table.columns.size() + table.indexes.size() >= k_max_definition_items) {
      refuse("it has more than " + std::to_string(k_max_definition_items) + " columns and indexes");
    }
    const auto& token = lexer.peek();
    if (token.kind == Kind::identifier) {
      table.columns.push_back(parse_column(lexer));
    } else if (token.is_word("PRIMARY") || token.is_word("UNIQUE") || token.is_word("KEY")) {
      table.indexes.push_back(parse_index(lexer, table));
    } else {
      refuse_item(token);
    }
  } while (lexer.peek().is(',') && lexer.next().is(','));
  expect(lexer, ')');
}

// Why a table option outside the allow-list is refused, for the attacks it would carry.
[[noreturn]] void refuse_option(const DefinitionToken& token) {
  const std::string& name = token.text;
  if (name == "DATA" || name == "INDEX") {
    refuse(name + " DIRECTORY would put the table's files outside the data directory");
  }
  if (name == "UNION") {
    refuse("UNION makes it a MERGE table over other tables");
  }
  if (name == "CONNECTION") {
    refuse("CONNECTION points the table at another server");
  }
  if (name == "SELECT" || name == "AS" || name == "LIKE" || name == "IGNORE" || name == "REPLACE"
      || token.is('(')) {
    refuse(name + " would fill or shape it from other tables");
  }
  if (name == "PARTITION") {
    refuse("partitioned tables are refused (Postal partitions none)");
  }
  refuse("unknown table option " + shown(token));
}

// The option's name, reading DEFAULT CHARSET, CHARACTER SET and DEFAULT COLLATE as one.
std::string option_name(DefinitionLexer& lexer) {
  auto token = lexer.next();
  if (token.kind != Kind::word) {
    refuse_option(token);
  }
  if (token.is_word("DEFAULT")) {
    token = lexer.next();
    if (!token.is_word("CHARSET") && !token.is_word("CHARACTER") && !token.is_word("COLLATE")) {
      refuse("unknown table option DEFAULT " + shown(token));
    }
  }
  if (token.is_word("CHARACTER")) {
    expect_word(lexer, "SET");
    return "CHARSET";
  }
  return token.text;
}

void parse_option(DefinitionLexer& lexer, TableDefinition& table, bool& engine) {
  const std::string name = option_name(lexer);
  constexpr std::array<std::string_view, 7> k_allowed{
      "ENGINE", "AUTO_INCREMENT", "CHARSET", "COLLATE", "ROW_FORMAT", "KEY_BLOCK_SIZE", "COMMENT"};
  if (std::find(k_allowed.begin(), k_allowed.end(), name) == k_allowed.end()) {
    refuse_option({Kind::word, name});
  }
  expect(lexer, '=');
  if (name == "ENGINE") {
    const auto value = lexer.next();
    if (!value.is_word("INNODB")) {
      refuse("ENGINE=" + shown(value) + " is not InnoDB");
    }
    engine = true;
  } else if (name == "AUTO_INCREMENT") {
    table.auto_increment = parse_unsigned(lexer.next(), UINT64_MAX);
  } else if (name == "CHARSET") {
    table.charset = charset_name(lexer);
  } else if (name == "COLLATE") {
    table.collation = charset_name(lexer);
  } else if (name == "ROW_FORMAT") {
    const auto value = lexer.next();
    constexpr std::array<std::string_view, 5> k_formats{
        "DEFAULT", "DYNAMIC", "COMPACT", "REDUNDANT", "COMPRESSED"};
    if (value.kind != Kind::word
        || std::find(k_formats.begin(), k_formats.end(), value.text) == k_formats.end()) {
      refuse("ROW_FORMAT=" + shown(value) + " is not one InnoDB has");
    }
    table.row_format = value.text;
  } else if (name == "KEY_BLOCK_SIZE") {
    table.key_block_size = static_cast<unsigned>(parse_unsigned(lexer.next(), 16));
  } else {
    table.comment = string_literal(lexer);
  }
}

void parse_options(DefinitionLexer& lexer, TableDefinition& table) {
  bool engine = false;
  while (lexer.peek().kind != Kind::end && !lexer.peek().is(';')) {
    parse_option(lexer, table, engine);
  }
  if (lexer.peek().is(';')) {
    (void)lexer.next();
  }
  if (lexer.peek().kind != Kind::end) {
    refuse("it holds more than one statement");
  }
  if (!engine) {
    refuse("it names no ENGINE");
  }
}

} // namespace

bool is_charset_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

TableDefinition parse_table_definition(std::string_view sql, std::string_view table) {
  if (sql.size() > k_max_schema_sql_bytes) {
    refuse("it is larger than 1 MiB");
  }
  DefinitionLexer lexer(sql);
  expect_word(lexer, "CREATE");
  const auto second = lexer.next();
  if (!second.is_word("TABLE")) {
    refuse("it does not start with CREATE TABLE (found " + shown(second) + ")");
  }
  TableDefinition definition;
  definition.name = identifier(lexer);
  if (definition.name != table) {
    refuse("it creates another table (`" + definition.name.substr(0, 64) + "`)");
  }
  if (!lexer.peek().is('(')) {
    refuse_option(lexer.peek());
  }
  (void)lexer.next();
  parse_items(lexer, definition);
  parse_options(lexer, definition);
  if (definition.columns.empty()) {
    refuse("it has no columns");
  }
  return definition;
}

} // namespace pbk::archive
