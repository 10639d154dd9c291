// SPDX-License-Identifier: MIT
// The database-facing half of the schema hash: reads information_schema into a SchemaInfo.
// information_schema is not transactional, so a table dropped between two queries (Postal
// drops old raw-YYYY-MM-DD tables at night) shows up in TABLES without columns; such tables
// are left out, exactly as if the table list had been read a moment later.
#include "postal/schema_hash.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/hash/sha256.hpp"

#include <charconv>
#include <map>

namespace pbk::postal {

namespace {

using Row = std::vector<std::optional<std::string>>;

std::string text(const Row& row, std::size_t i) {
  return row.at(i).value_or(std::string());
}

std::optional<int> number(const Row& row, std::size_t i) {
  if (!row.at(i)) {
    return std::nullopt;
  }
  int value = 0;
  const auto& s = *row[i];
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) {
    throw core::Error(core::ExitCode::runtime,
                      "information_schema returned a non-numeric value '" + s
                          + "' where a number was expected");
  }
  return value;
}

// MariaDB quotes string defaults in COLUMN_DEFAULT from 10.2.7 on; older MariaDB and every
// MySQL report them raw. Connector/C may report old servers as "5.5.5-10.1.48-MariaDB".
bool quotes_defaults(core::db::Connection& connection) {
  if (!connection.is_mariadb()) {
    return false;
  }
  const std::string reported = connection.server_version();
  std::string_view version = reported;
  if (version.starts_with("5.5.5-")) {
    version.remove_prefix(6);
  }
  int parts[3] = {0, 0, 0};
  const char* p = version.data();
  const char* end = version.data() + version.size();
  for (int& part : parts) {
    const auto result = std::from_chars(p, end, part);
    p = result.ptr < end && *result.ptr == '.' ? result.ptr + 1 : end;
  }
  return parts[0] > 10 || (parts[0] == 10 && (parts[1] > 2 || (parts[1] == 2 && parts[2] >= 7)));
}

void read_database(core::db::Connection& connection, SchemaInfo& schema, const std::string& db) {
  auto result = connection.query(
      "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA"
      " WHERE SCHEMA_NAME = "
      + db);
  const auto rows = result.rows();
  if (rows.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "database " + schema.database + " does not exist on "
                          + connection.options().describe(),
                      {"check the database name (--main-db, --message-db-prefix) and the server"});
  }
  schema.charset = text(rows.front(), 0);
  schema.collation = text(rows.front(), 1);
}

std::map<std::string, TableInfo> read_tables(core::db::Connection& connection,
                                             const std::string& db) {
  std::map<std::string, TableInfo> tables;
  auto result = connection.query("SELECT TABLE_NAME, ENGINE, TABLE_COLLATION"
                                 " FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                 + db + " AND TABLE_TYPE = 'BASE TABLE'");
  for (const auto& row : result.rows()) {
    TableInfo table{text(row, 0), text(row, 1), text(row, 2), {}, {}};
    tables.emplace(table.name, std::move(table));
  }
  return tables;
}

void read_columns(core::db::Connection& connection,
                  std::map<std::string, TableInfo>& tables,
                  const std::string& db) {
  auto result = connection.query(
      "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,"
      " CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS"
      " WHERE TABLE_SCHEMA = "
      + db + " ORDER BY TABLE_NAME, ORDINAL_POSITION");
  for (const auto& row : result.rows()) {
    const auto table = tables.find(text(row, 0));
    if (table == tables.end()) {
      continue; // a view, or a table created after the table list was read
    }
    table->second.columns.push_back({text(row, 1),
                                     text(row, 2),
                                     text(row, 3) == "YES",
                                     row.at(4),
                                     text(row, 5),
                                     text(row, 6),
                                     text(row, 7)});
  }
}

void read_indexes(core::db::Connection& connection,
                  std::map<std::string, TableInfo>& tables,
                  const std::string& db) {
  auto result = connection.query(
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE"
      " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
      + db + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX");
  for (const auto& row : result.rows()) {
    const auto table = tables.find(text(row, 0));
    if (table == tables.end()) {
      continue;
    }
    auto& indexes = table->second.indexes;
    if (indexes.empty() || indexes.back().name != text(row, 1)) {
      indexes.push_back({text(row, 1), number(row, 2) == 0, {}, text(row, 6)});
    }
    // COLUMN_NAME is NULL for MySQL 8 functional key parts; they keep their position.
    indexes.back().columns.emplace_back(text(row, 4), number(row, 5));
  }
}

} // namespace

SchemaInfo load_schema(core::db::Connection& connection, std::string_view database) {
  SchemaInfo schema;
  schema.database = std::string(database);
  schema.from_mariadb = quotes_defaults(connection);
  const auto db = connection.quote(database);
  read_database(connection, schema, db);
  auto tables = read_tables(connection, db);
  read_columns(connection, tables, db);
  read_indexes(connection, tables, db);
  for (auto& [name, table] : tables) {
    if (!table.columns.empty()) { // dropped while we read: see the file comment
      schema.tables.push_back(std::move(table));
    }
  }
  return schema;
}

std::string schema_hash(const SchemaInfo& schema) {
  return core::hash::sha256_hex(canonical_schema(schema));
}

} // namespace pbk::postal
