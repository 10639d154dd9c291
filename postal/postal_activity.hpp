// SPDX-License-Identifier: MIT
// The refusals a restore makes before it writes anything (DESIGN §4): Postal still connected
// to a target database, or a target database already holding data. Both are overridden by
// --force; the caller decides whether to call them. A fresh `postal initialize` leaves only
// migration bookkeeping rows, so it counts as empty.
#pragma once

#include "core/db/connection.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pbk::postal {

// Clients of one database, grouped by account and client host.
struct Occupant {
  std::string database;
  std::string user;
  std::string host; // client host without the port ("10.0.0.5", "localhost")
  std::uint64_t connections = 0;
};

// Every connection other than `connection` itself whose default database is one of
// `databases`, from information_schema.PROCESSLIST, ordered by database, user, host.
// The server shows other accounts' connections only to a user with the PROCESS privilege;
// without it this sees the user's own connections only, and Postal running under another
// account goes unnoticed.
[[nodiscard]] std::vector<Occupant> connections_using(core::db::Connection& connection,
                                                      const std::vector<std::string>& databases);

// Throws Error(refused) naming the first occupant found by connections_using.
void refuse_if_postal_connected(core::db::Connection& connection,
                                const std::vector<std::string>& databases);

// Base tables of `database` that hold at least one row, by name; the migration bookkeeping
// tables (schema_migrations, ar_internal_metadata, migrations) are left out. A database that
// does not exist yields an empty list.
[[nodiscard]] std::vector<std::string> tables_holding_data(core::db::Connection& connection,
                                                           const std::string& database);

// Throws Error(refused) naming the first of `databases` that holds data.
void refuse_if_holding_data(core::db::Connection& connection,
                            const std::vector<std::string>& databases);

} // namespace pbk::postal
