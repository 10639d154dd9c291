// SPDX-License-Identifier: MIT
// The schema hash of DESIGN §4: a canonical text of a database's information_schema and its
// SHA-256. The text is the same on MariaDB and MySQL for the same schema, ignores what legitimately
// differs between equivalent Postal databases (column order, the date of per-day raw tables,
// ar_internal_metadata's datetime precision, the collations of Rails' schema_migrations and
// ar_internal_metadata) and is specified in docs/format.md "Schema hash".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pbk::core::db {
class Connection;
} // namespace pbk::core::db

namespace pbk::postal {

// One row of information_schema.COLUMNS, values as the server reported them.
struct ColumnInfo {
  std::string name;
  std::string column_type;                  // COLUMN_TYPE, e.g. "int(11) unsigned"
  bool nullable = true;                     // IS_NULLABLE = 'YES'
  std::optional<std::string> default_value; // COLUMN_DEFAULT; nullopt = SQL NULL
  std::string extra;                        // EXTRA
  std::string charset;                      // CHARACTER_SET_NAME; empty for non-character columns
  std::string collation;                    // COLLATION_NAME; empty for non-character columns
};

// One index, built from the rows of information_schema.STATISTICS that share INDEX_NAME.
struct IndexInfo {
  std::string name;
  bool unique = false;
  std::vector<std::pair<std::string, std::optional<int>>> columns; // column, prefix length
  std::string type;                                                // INDEX_TYPE, e.g. "BTREE"
};

struct TableInfo {
  std::string name;
  std::string engine;
  std::string collation;
  std::vector<ColumnInfo> columns;
  std::vector<IndexInfo> indexes;
};

struct SchemaInfo {
  std::string database;
  std::string charset;   // database default; informational, not part of the hash
  std::string collation; // database default; informational, not part of the hash
  std::vector<TableInfo> tables;
  // True when COLUMN_DEFAULT uses MariaDB's (10.2.7+) form: string literals quoted ('x'), the
  // literal word NULL for a NULL default, expressions unquoted. False for MySQL's raw values.
  bool from_mariadb = false;
};

// The canonical text (docs/format.md "Schema hash"); LF-terminated lines.
[[nodiscard]] std::string canonical_schema(const SchemaInfo& schema);

// Lower-case hex SHA-256 of canonical_schema(schema).
[[nodiscard]] std::string schema_hash(const SchemaInfo& schema);

// Reads `database` from information_schema (SCHEMATA, base TABLES, COLUMNS, STATISTICS).
// Throws core::Error(usage) when the database does not exist.
[[nodiscard]] SchemaInfo load_schema(core::db::Connection& connection, std::string_view database);

// Building blocks of canonical_schema, exposed for tests and for schema comparisons.
[[nodiscard]] std::string normalize_column_type(std::string_view column_type);
[[nodiscard]] std::optional<std::string> normalize_default(const ColumnInfo& column,
                                                           bool from_mariadb);
[[nodiscard]] std::string normalize_extra(std::string_view extra);
// "datetime(6)" → "datetime", "timestamp(3)" → "timestamp"; any other type unchanged.
[[nodiscard]] std::string drop_datetime_precision(std::string_view type);
[[nodiscard]] std::string normalize_charset_name(std::string_view name);
[[nodiscard]] bool is_raw_table_name(std::string_view table_name);

} // namespace pbk::postal
