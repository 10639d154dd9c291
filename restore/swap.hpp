// SPDX-License-Identifier: MIT
// The swap of a guarded restore (DESIGN §5.4): live tables set aside into the previous
// databases and staged tables moved into the live names, all in ONE `RENAME TABLE`
// statement, which MariaDB executes atomically (also across a crash, since 10.6). The same
// statement renames a marker table in the journal database from `swap_<id>_pending` to
// `swap_<id>_done`, so whether the swap happened is read from the server afterwards, never
// guessed, even when the process died between the statement and the journal update.
#pragma once

#include "core/db/connection.hpp"
#include "restore/journal.hpp"

#include <string>
#include <vector>

namespace pbk::restore {

// Base tables of a database (none when it does not exist), sorted by name.
[[nodiscard]] std::vector<std::string> base_tables(core::db::Connection& connection,
                                                   const std::string& database);
[[nodiscard]] bool database_exists(core::db::Connection& connection, const std::string& database);

// Creates the pending marker; the restore calls it before loading.
void create_swap_marker(core::db::Connection& connection, const std::string& restore_id);
[[nodiscard]] bool swap_happened(core::db::Connection& connection, const std::string& restore_id);
void drop_swap_marker(core::db::Connection& connection, const std::string& restore_id);

// Previous databases must exist (empty); live ones must exist. `lock_wait_seconds` bounds the
// wait for Postal's metadata locks; on timeout nothing was renamed.
void swap_in(core::db::Connection& connection,
             const std::string& restore_id,
             const std::vector<JournalDatabase>& databases,
             unsigned lock_wait_seconds);

// The reverse of swap_in: restored tables back into staging, previous tables back into live.
void swap_back(core::db::Connection& connection,
               const std::string& restore_id,
               const std::vector<JournalDatabase>& databases,
               unsigned lock_wait_seconds);

// One RENAME TABLE of every "a TO b" in `renames`, waiting at most `lock_wait_seconds` for
// metadata locks (on timeout: refused, nothing renamed).
void rename_at_once(core::db::Connection& connection,
                    const std::vector<std::string>& renames,
                    unsigned lock_wait_seconds);

void drop_database_if_exists(core::db::Connection& connection, const std::string& database);

} // namespace pbk::restore
