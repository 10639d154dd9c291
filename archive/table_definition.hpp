// SPDX-License-Identifier: MIT
// A table's definition as restore understands it, parsed from an archive's schema.sql (the
// SHOW CREATE TABLE output of MariaDB or MySQL for Postal's tables). Only what Postal's tables
// use is representable: a parse succeeds only for plain InnoDB tables of allowed column types,
// literal defaults, plain indexes and a few table options, so the statement restore builds
// from it (create_table_statement.hpp) can do nothing but create that table. Everything else
// (CHECK, generated columns, foreign keys, partitions, other engines, DATA/INDEX DIRECTORY,
// UNION, CONNECTION, AS SELECT, comments of any kind, ...) is refused.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::archive {

// Why a schema.sql was refused: one line, without the table's name.
class DefinitionRefused : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A literal DEFAULT; strings are kept unescaped and re-escaped when built.
struct ColumnDefault {
  enum class Kind { null, number, string, current_timestamp };
  Kind kind = Kind::null;
  std::string text;                  // number: as written; string: the value
  std::optional<unsigned> precision; // current_timestamp(p)

  bool operator==(const ColumnDefault&) const = default;
};

struct ColumnDefinition {
  std::string name;
  std::string type;                // lower case, from the allow-list ("int", "varchar", ...)
  std::vector<std::uint32_t> size; // (n) or (p,s); empty when none was written
  bool is_unsigned = false;
  std::string charset;          // empty when not written
  std::string collation;        // empty when not written
  std::optional<bool> nullable; // NOT NULL: false, NULL: true, unwritten: nullopt
  std::optional<ColumnDefault> default_value;
  std::optional<std::optional<unsigned>> on_update_current_timestamp; // its precision
  bool auto_increment = false;
  std::optional<std::string> comment;

  bool operator==(const ColumnDefinition&) const = default;
};

struct KeyPart {
  std::string column;
  std::optional<std::uint32_t> prefix;

  bool operator==(const KeyPart&) const = default;
};

struct IndexDefinition {
  enum class Kind { primary, unique, plain };
  Kind kind = Kind::plain;
  std::string name; // empty for the primary key
  std::vector<KeyPart> parts;
  std::string algorithm; // "BTREE", "HASH" or empty

  bool operator==(const IndexDefinition&) const = default;
};

struct TableDefinition {
  std::string name;
  std::vector<ColumnDefinition> columns;
  std::vector<IndexDefinition> indexes;
  std::optional<std::uint64_t> auto_increment;
  std::string charset;    // DEFAULT CHARSET; empty when not written
  std::string collation;  // COLLATE; empty when not written
  std::string row_format; // upper case; empty when not written
  std::optional<unsigned> key_block_size;
  std::optional<std::string> comment;

  bool operator==(const TableDefinition&) const = default;
};

inline constexpr std::size_t k_max_schema_sql_bytes = std::size_t{1} << 20;
inline constexpr std::size_t k_max_definition_items = 4096; // columns, indexes

// Parses `sql` (one CREATE TABLE of `table`, optionally followed by ';' and white space).
// A pure function of its arguments; throws DefinitionRefused for anything else.
[[nodiscard]] TableDefinition parse_table_definition(std::string_view sql, std::string_view table);

// Whether `name` may be a character set or collation name: [A-Za-z0-9_], 1 to 64 bytes.
[[nodiscard]] bool is_charset_name(std::string_view name);

} // namespace pbk::archive
