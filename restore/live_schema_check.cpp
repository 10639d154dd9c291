// SPDX-License-Identifier: MIT
#include "restore/live_schema_check.hpp"

#include "backup/postal_databases.hpp"
#include "manifest/schema_hash.hpp"

#include <map>

namespace pbk::restore {
namespace {

// The server's default collation of Postal's charsets, which tables naming only a charset get.
manifest::CollationAliases collation_aliases(core::db::Connection& connection) {
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
  return manifest::default_collation_aliases(defaults);
}

} // namespace

LiveCheck check_live_database(core::db::Connection& connection,
                              const std::string& database,
                              manifest::DatabaseRole role,
                              const manifest::SchemaHistory& main_history,
                              const manifest::SchemaHistory& message_history) {
  const bool main = role == manifest::DatabaseRole::main;
  LiveCheck live;
  live.recorded = main ? backup::read_main_migrations(connection, database)
                       : backup::read_message_migrations(connection, database);
  live.check.name = database;
  live.check.role = manifest::to_string(role);
  live.check.recorded_level = live.recorded.empty() ? "0" : live.recorded.back();
  const auto schema = manifest::load_schema(connection, database);
  // Tables Postal creates without a charset get the database's default, which Postal never
  // changes in a main database.
  const manifest::LiveDefaults defaults{collation_aliases(connection),
                                        manifest::normalize_charset_name(schema.collation)};
  live.check.structure = manifest::check_structure(manifest::canonical_schema(schema),
                                                   live.check.recorded_level,
                                                   main ? main_history : message_history,
                                                   defaults);
  return live;
}

} // namespace pbk::restore
