// SPDX-License-Identifier: MIT
// Postal's own cross-table invariants, checked on the staging databases before the swap, so
// a backup that loads cleanly but that Postal could not use (a mail server without its
// message database, messages whose raw e-mail lives in a table the backup lacks) never
// replaces live data. Problems name the live database, the one the operator knows.
#pragma once

#include "archive/manifest.hpp"

#include "core/db/connection.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::postal {

// A database of the backup loaded into `staging_name`, to become `live_name` at the swap.
struct StagedDatabase {
  std::string live_name;
  std::string staging_name;
  archive::DatabaseRole role = archive::DatabaseRole::main;
  std::optional<int> server_id;
};

struct InvariantReport {
  std::vector<std::string> problems; // one line each; empty when Postal can use the data

  [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

// Every staging database must be on `connection`. Checks:
//  - main staged: each mail server in `servers` (not soft-deleted) has its message database
//    `<message_db_prefix>-server-<id>` staged or in `existing_live_databases` (pass there the
//    live names that stay, and those staged on another server);
//  - each staged message DB: every messages.raw_table names a table it holds, and the tables
//    raw_message_sizes lists are exactly its raw-YYYY-MM-DD tables.
// A table an older schema level lacks skips the check that reads it.
[[nodiscard]] InvariantReport
check_postal_invariants(core::db::Connection& connection,
                        const std::vector<StagedDatabase>& staged,
                        const std::string& message_db_prefix,
                        const std::vector<std::string>& existing_live_databases);

} // namespace pbk::postal
