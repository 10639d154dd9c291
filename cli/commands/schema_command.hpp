// SPDX-License-Identifier: MIT
// Shared by `schema hash` and `schema check`: one connection per database server of the
// install (one when main and message databases share a server) and its Postal databases.
#pragma once

#include "postal/postal_databases.hpp"
#include "postal/schema_check.hpp"
#include "postal/schema_release_facts.hpp"

#include "cli/commands/commands.hpp"
#include "cli/connection_args.hpp"

#include <string>
#include <vector>

namespace pbk::cli {

struct LiveInstall {
  ResolvedConnections resolved;
  std::vector<core::db::Connection> connections; // [0] main_db, [1] message_db if different
  std::vector<postal::PostalDatabase> databases; // main first

  [[nodiscard]] core::db::Connection& connection_for(const postal::PostalDatabase& database) {
    return connections.at(database.connection_index);
  }
};

// `discover`: find the main and message databases (find_postal_databases); else none.
[[nodiscard]] LiveInstall connect_install(const ConnectionArgs& args, bool discover);

struct SchemaCheckArgs {
  ConnectionArgs connection;
  std::string target_version;
  std::string catalog_file;
};

void run_schema_check(const SchemaCheckArgs& args, CommandContext& context);

// What `schema check` finds in `install` (its databases discovered) against `target_version`
// (empty: the newest release at the recorded main level); `release` points into `catalog`.
// The status does not yet count a restore awaiting migrations.
struct InstallSchemaCheck {
  std::vector<postal::DatabaseCheck> checks;
  const postal::ReleaseFacts* release = nullptr;
  postal::SchemaStatus status = postal::SchemaStatus::healthy;
};

[[nodiscard]] InstallSchemaCheck check_install_schema(LiveInstall& install,
                                                      const postal::SchemaCatalog& catalog,
                                                      const std::string& target_version);

} // namespace pbk::cli
