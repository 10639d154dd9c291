// SPDX-License-Identifier: MIT
// What happens to a restore after its swap, from any host: `status` reads the journal and
// the swap marker, `finish` closes the migration gate, `rollback` puts the set-aside
// databases back, `status --run-scheduled CMD` runs the migrations a restore scheduled. Each one
// takes the journal's state together with what the server shows (was the swap done?), so a
// restore killed between two steps is still understood and recoverable.
#pragma once

#include "postal/release_catalog.hpp"

#include "core/db/connection.hpp"
#include "core/reporter.hpp"
#include "restore/gate.hpp"
#include "restore/journal.hpp"

#include <map>
#include <optional>

namespace pbk::restore {

// The journal's state corrected by the server's: `swapping` is awaiting_migrations when
// the swap marker shows it done; `loading`/`swapping` whose process is gone is abandoned.
struct RestoreStatus {
  std::optional<RestoreRecord> record; // none: no restore ever ran on this server
  RestoreState state = RestoreState::finished;
  bool swapped = false;
  // restore --add-raw whose re-link committed: only its staging is left for `finish` to drop.
  bool relinked = false;
  std::optional<GateResult> gate; // evaluated while awaiting migrations
};

[[nodiscard]] RestoreStatus restore_status(core::db::Connection& connection,
                                           const postal::ReleaseCatalog& catalog);

// The restore whose swap happened and that is neither finished nor rolled back: the live
// databases hold restored data that is not final (awaiting migrations or `finish`). None when
// the journal cannot be read (a backup user without SELECT on postal_backup sees none).
[[nodiscard]] std::optional<RestoreRecord>
swapped_unfinished_restore(core::db::Connection& connection);
// The latest restore in the journal, whatever its state (none: no journal or none readable).
[[nodiscard]] std::optional<RestoreRecord> latest_restore(core::db::Connection& connection);

// Finishes when the gate holds; otherwise returns the status with what is missing.
[[nodiscard]] RestoreStatus finish_restore(core::db::Connection& connection,
                                           const postal::ReleaseCatalog& catalog,
                                           bool keep_previous,
                                           core::Reporter& reporter);

[[nodiscard]] RestoreStatus rollback_restore(core::db::Connection& connection,
                                             unsigned lock_wait_seconds,
                                             core::Reporter& reporter);

// What the journal records of a --schedule-migrations command: "sha256:<hex>".
[[nodiscard]] std::string command_digest(const std::string& command);

// Runs `command` (the operator's, from the command line: never one read from the server) once
// when the restore awaiting migrations scheduled it (the same digest) and it has not run yet;
// then tries to finish. A restore that scheduled nothing, or another command, is left
// awaiting, with a warning.
[[nodiscard]] RestoreStatus run_scheduled(core::db::Connection& connection,
                                          const postal::ReleaseCatalog& catalog,
                                          const std::string& command,
                                          core::Reporter& reporter);

// Shared with the restore itself.
// Drops what a restore created and no longer needs, then records `final_state`.
void complete_restore(core::db::Connection& connection,
                      const RestoreRecord& record,
                      bool keep_previous);
// For a restore whose swap did not happen: drops staging, previous and the marker.
void discard_unswapped(core::db::Connection& connection,
                       const RestoreRecord& record,
                       RestoreState final_state,
                       const std::string& message);
// Runs an operator's migration command with `environment` added, saying so and reporting a
// failure; its exit status. Restore's --migrate-with and drill's both run through it.
[[nodiscard]] int run_operator_command(const std::string& command,
                                       const std::map<std::string, std::string>& environment,
                                       core::Reporter& reporter);
// The restore lock must be held. Refuses while a restore is unfinished (swapped, or an add
// whose raw tables went live); cleans up one whose process died before its swap (a dry run
// only says it would).
void settle_previous_restore(core::db::Connection& connection,
                             bool dry_run,
                             core::Reporter& reporter);
// For an add (restore --add-raw) whose re-link committed: drops its staging databases and
// marker, then records it finished.
void complete_add_raw(core::db::Connection& connection, const RestoreRecord& record);
// Runs `command` with the restore's id and target in its environment; its exit status.
[[nodiscard]] int run_migration_command(const std::string& command,
                                        const RestoreRecord& record,
                                        core::Reporter& reporter);

} // namespace pbk::restore
