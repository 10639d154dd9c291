// SPDX-License-Identifier: MIT
#include "restore/restore_scope.hpp"

#include "postal/target_release.hpp"

#include "core/error.hpp"
#include "core/version_order.hpp"
#include "restore/swap.hpp"

#include <algorithm>
#include <set>

namespace pbk::restore {

using core::db::Connection;

std::string live_name(const archive::DatabaseInfo& database,
                      const std::string& main_db,
                      const std::string& message_db_prefix) {
  if (database.role == archive::DatabaseRole::main) {
    return main_db;
  }
  return message_db_prefix + "-server-" + std::to_string(database.server_id.value_or(0));
}

// backup.json reduced to the databases being restored (--databases).
archive::BackupInfo select_databases(const archive::BackupInfo& info,
                                     const std::vector<std::string>& only) {
  if (only.empty()) {
    return info;
  }
  archive::BackupInfo selected = info;
  selected.databases.clear();
  std::string known;
  for (const auto& database : info.databases) {
    known += (known.empty() ? "" : ", ") + database.name;
  }
  for (const auto& name : only) {
    const auto found = std::find_if(info.databases.begin(),
                                    info.databases.end(),
                                    [&](const auto& database) { return database.name == name; });
    if (found == info.databases.end()) {
      throw core::Error(core::ExitCode::usage,
                        "--databases names " + name + ", which the archive does not hold",
                        {"the archive holds: " + known});
    }
    selected.databases.push_back(*found);
  }
  return selected;
}

// A server without Postal's main database is a disaster-recovery target: the backup's own
// release is the best guess, and the operator is told how to name another.
postal::MigrationTarget own_level_target(const archive::BackupInfo& info,
                                         const postal::ReleaseCatalog& catalog) {
  postal::MigrationTarget target;
  if (const auto* release = catalog.newest_at_main_level(info.postal.main_schema_level)) {
    target = postal::target_from_release(*release);
  } else {
    target.main_migrations = info.postal.main_migrations;
    target.main_schema_level = info.postal.main_schema_level;
    std::set<int> numbers;
    for (const auto& database : info.databases) {
      for (const auto& migration : database.migrations) {
        if (database.role == archive::DatabaseRole::message) {
          numbers.insert(core::message_migration_number(migration, "database " + database.name));
        }
      }
    }
    target.message_db_migrations.assign(numbers.begin(), numbers.end());
  }
  target.version = info.postal.version.value_or(target.version);
  target.source = "the backup's own level (the server holds no Postal main database)";
  return target;
}

postal::MigrationTarget resolve_target(const std::optional<postal::MigrationTarget>& named,
                                       const postal::ReleaseCatalog& catalog,
                                       const archive::BackupInfo& info,
                                       Connection& connection,
                                       const std::string& main_db) {
  if (named) {
    return *named;
  }
  if (base_tables(connection, main_db).empty()) {
    return own_level_target(info, catalog);
  }
  return target_from_server(catalog, connection, main_db);
}

} // namespace pbk::restore
