// SPDX-License-Identifier: MIT
// Shared by `schema hash` and `schema check`: one connection per database server of the
// install (one when main and message databases share a server) and its Postal databases.
#pragma once

#include "postal/postal_databases.hpp"

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

} // namespace pbk::cli
