// SPDX-License-Identifier: MIT
#include "postal/postal_invariants.hpp"

#include "core/decimal.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace pbk::postal {
namespace {

using core::db::Connection;

// Enough names for the operator to look one up; the rest are counted.
constexpr std::size_t k_names_shown = 3;

std::string qualified(const std::string& database, const std::string& table) {
  return Connection::quote_identifier(database) + "." + Connection::quote_identifier(table);
}

std::set<std::string> first_column(Connection& connection, const std::string& sql) {
  std::set<std::string> values;
  for (const auto& row : connection.query(sql).rows()) {
    if (!row.empty() && row[0]) {
      values.insert(*row[0]);
    }
  }
  return values;
}

std::set<std::string> base_tables(Connection& connection, const std::string& database) {
  return first_column(connection,
                      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                          + connection.quote(database) + " AND TABLE_TYPE = 'BASE TABLE'");
}

bool has_column(Connection& connection,
                const std::string& database,
                const std::string& table,
                const std::string& column) {
  return connection
      .query_value("SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   + connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table)
                   + " AND COLUMN_NAME = " + connection.quote(column))
      .has_value();
}

// "a, b, c and 4 more"
std::string some_names(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < k_names_shown; ++i) {
    text += (i == 0 ? "" : ", ") + names[i];
  }
  if (names.size() > k_names_shown) {
    text += " and " + std::to_string(names.size() - k_names_shown) + " more";
  }
  return text;
}

std::vector<std::string> missing_from(const std::set<std::string>& wanted,
                                      const std::set<std::string>& present) {
  std::vector<std::string> missing;
  std::set_difference(
      wanted.begin(), wanted.end(), present.begin(), present.end(), std::back_inserter(missing));
  return missing;
}

// Postal opens `<prefix>-server-<id>` for every mail server it lists; one without it fails
// every page and delivery of that server.
void check_servers(Connection& connection,
                   const StagedDatabase& main,
                   const std::string& prefix,
                   const std::set<std::string>& available,
                   InvariantReport& report) {
  if (!base_tables(connection, main.staging_name).contains("servers")) {
    return;
  }
  std::string sql = "SELECT id FROM " + qualified(main.staging_name, "servers");
  if (has_column(connection, main.staging_name, "servers", "deleted_at")) {
    sql += " WHERE deleted_at IS NULL";
  }
  std::vector<int> ids;
  for (const auto& id : first_column(connection, sql)) {
    // The rows came from the archive: a value that is no server id is reported, not parsed.
    if (const auto number = core::parse_decimal<int>(id)) {
      ids.push_back(*number);
    } else {
      report.problems.push_back(main.live_name + ": servers.id '" + id + "' is not a server id");
    }
  }
  std::sort(ids.begin(), ids.end());
  for (const int id : ids) {
    const std::string name = prefix + "-server-" + std::to_string(id);
    if (!available.contains(name)) {
      report.problems.push_back(main.live_name + ": mail server " + std::to_string(id)
                                + " has no message database " + name
                                + ": neither the backup nor the target server holds it");
    }
  }
}

// Postal reads a message's raw e-mail from the table messages.raw_table names.
void check_raw_table_references(Connection& connection,
                                const StagedDatabase& database,
                                const std::set<std::string>& tables,
                                InvariantReport& report) {
  if (!tables.contains("messages")) {
    return;
  }
  const auto named =
      first_column(connection,
                   "SELECT DISTINCT raw_table FROM " + qualified(database.staging_name, "messages")
                       + " WHERE raw_table IS NOT NULL");
  const auto missing = missing_from(named, tables);
  if (!missing.empty()) {
    report.problems.push_back(database.live_name + ": messages.raw_table names "
                              + some_names(missing) + ", which the backup does not hold");
  }
}

// raw_message_sizes is how Postal sizes and prunes raw tables; a table it does not list is
// never pruned, a listed one that is missing breaks the pruning.
void check_raw_message_sizes(Connection& connection,
                             const StagedDatabase& database,
                             const std::set<std::string>& tables,
                             InvariantReport& report) {
  if (!tables.contains("raw_message_sizes")) {
    return;
  }
  static const std::regex k_raw_table("raw-[0-9]{4}-[0-9]{2}-[0-9]{2}");
  std::set<std::string> raw_tables;
  std::copy_if(tables.begin(),
               tables.end(),
               std::inserter(raw_tables, raw_tables.end()),
               [](const std::string& name) { return std::regex_match(name, k_raw_table); });
  const auto listed = first_column(connection,
                                   "SELECT table_name FROM "
                                       + qualified(database.staging_name, "raw_message_sizes"));
  const auto unheld = missing_from(listed, raw_tables);
  if (!unheld.empty()) {
    report.problems.push_back(database.live_name + ": raw_message_sizes lists " + some_names(unheld)
                              + ", which the backup does not hold");
  }
  const auto unlisted = missing_from(raw_tables, listed);
  if (!unlisted.empty()) {
    report.problems.push_back(database.live_name + ": raw table(s) " + some_names(unlisted)
                              + " not listed in raw_message_sizes");
  }
}

} // namespace

InvariantReport check_postal_invariants(Connection& connection,
                                        const std::vector<StagedDatabase>& staged,
                                        const std::string& message_db_prefix,
                                        const std::vector<std::string>& existing_live_databases) {
  InvariantReport report;
  std::set<std::string> available(existing_live_databases.begin(), existing_live_databases.end());
  for (const auto& database : staged) {
    available.insert(database.live_name);
  }
  for (const auto& database : staged) {
    if (database.role == archive::DatabaseRole::main) {
      check_servers(connection, database, message_db_prefix, available, report);
    }
  }
  for (const auto& database : staged) {
    if (database.role != archive::DatabaseRole::message) {
      continue;
    }
    const auto tables = base_tables(connection, database.staging_name);
    check_raw_table_references(connection, database, tables, report);
    check_raw_message_sizes(connection, database, tables, report);
  }
  return report;
}

} // namespace pbk::postal
