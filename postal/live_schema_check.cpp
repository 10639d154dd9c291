// SPDX-License-Identifier: MIT
#include "postal/live_schema_check.hpp"

#include "postal/postal_databases.hpp"
#include "postal/schema_hash.hpp"

#include <map>

namespace pbk::postal {
namespace {

// The server's default collation of Postal's charsets, which tables naming only a charset get.
postal::CollationAliases collation_aliases(core::db::Connection& connection) {
  std::map<std::string, std::string> defaults;
  for (const auto& row : connection
                             .query("SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME FROM "
                                    "information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME IN "
                                    "('utf8', 'utf8mb3', 'utf8mb4')")
                             .rows()) {
    if (row.size() == 2 && row[0] && row[1]) {
      defaults[*row[0]] = *row[1];
    }
  }
  return postal::default_collation_aliases(defaults);
}

} // namespace

LiveCheck check_live_database(core::db::Connection& connection,
                              const std::string& database,
                              archive::DatabaseRole role,
                              const postal::SchemaHistory& main_history,
                              const postal::SchemaHistory& message_history) {
  const bool main = role == archive::DatabaseRole::main;
  LiveCheck live;
  live.recorded = main ? postal::read_main_migrations(connection, database)
                       : postal::read_message_migrations(connection, database);
  live.check.name = database;
  live.check.role = archive::to_string(role);
  live.check.recorded_level = live.recorded.empty() ? "0" : live.recorded.back();
  const auto schema = postal::load_schema(connection, database);
  // Tables Postal creates without a charset get the database's default, which Postal never
  // changes in a main database.
  const postal::LiveDefaults defaults{collation_aliases(connection),
                                      postal::normalize_charset_name(schema.collation)};
  live.check.structure = postal::check_structure(postal::canonical_schema(schema),
                                                 live.check.recorded_level,
                                                 main ? main_history : message_history,
                                                 defaults);
  return live;
}

} // namespace pbk::postal
