// SPDX-License-Identifier: MIT
#include "restore/restore_control.hpp"

#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/hash/sha256.hpp"
#include "core/shell_command.hpp"
#include "restore/raw_return.hpp"
#include "restore/restore_lock.hpp"
#include "restore/swap.hpp"

namespace pbk::restore {
namespace {

using core::db::Connection;

// Whether a restore process still holds the server's restore lock.
bool lock_is_free(Connection& connection) {
  return connection.query_value("SELECT IS_FREE_LOCK('postal-backup:restore')").value_or("0")
         == "1";
}

RestoreStatus read_status(Connection& connection, bool process_gone) {
  RestoreStatus status;
  Journal journal(connection);
  status.record = journal.latest();
  if (!status.record) {
    return status;
  }
  status.state = status.record->state;
  if (!is_open(status.state)) {
    return status;
  }
  if (status.record->kind == RestoreKind::add_raw) {
    // Its tables went live: `finish` re-links them or `rollback` drops them; no gate.
    const auto stage = return_stage(connection, status.record->id);
    status.swapped = stage != ReturnStage::staged;
    status.relinked = stage == ReturnStage::relinked;
    if (!status.swapped && process_gone) {
      status.state = RestoreState::abandoned;
    }
    return status;
  }
  status.swapped = swap_happened(connection, status.record->id);
  if (status.swapped) {
    status.state = RestoreState::awaiting_migrations;
  } else if (process_gone) {
    status.state = RestoreState::abandoned;
  }
  return status;
}

void evaluate(Connection& connection,
              const postal::ReleaseCatalog& catalog,
              RestoreStatus& status) {
  if (status.state == RestoreState::awaiting_migrations) {
    status.gate = evaluate_gate(connection,
                                status.record->databases,
                                target_from_json(status.record->target_json),
                                catalog);
  }
}

// The restore finish and rollback act on; refuses when there is none they can act on.
RestoreStatus open_restore(Connection& connection, const char* command) {
  auto status = read_status(connection, true);
  if (!status.record || !is_open(status.record->state)) {
    throw core::Error(core::ExitCode::refused,
                      std::string("no restore to ") + command + " on "
                          + connection.options().describe()
                          + (status.record ? ": the last one (" + status.record->id + ") is "
                                                 + to_string(status.record->state)
                                           : std::string(": none was ever started")),
                      {"`postal-backup status` shows the last restore"});
  }
  return status;
}

// An add whose raw tables went live: re-link them (again, when the re-link committed
// already nothing is left to do), then drop what it staged.
RestoreStatus
finish_add_raw(Connection& connection, RestoreStatus status, core::Reporter& reporter) {
  const auto& record = *status.record;
  if (return_stage(connection, record.id) == ReturnStage::renamed) {
    const auto counts = relink_raw_tables(connection, record);
    reporter.info("restore " + record.id + ": " + std::to_string(counts.relinked)
                  + " messages re-linked to the raw tables it brought back");
  }
  complete_add_raw(connection, record);
  reporter.info("restore " + record.id + " finished");
  status.state = RestoreState::finished;
  return status;
}

// Only an add whose re-link did not commit is undone; a committed one is finished.
RestoreStatus
rollback_add_raw(Connection& connection, RestoreStatus status, core::Reporter& reporter) {
  const auto& record = *status.record;
  if (return_stage(connection, record.id) == ReturnStage::relinked) {
    throw core::Error(core::ExitCode::refused,
                      "restore " + record.id
                          + " has re-linked the raw tables it brought back: there is nothing "
                            "to roll back",
                      {"run `postal-backup finish` to remove what it staged"});
  }
  for (const auto& kept : drop_raw_tables_renamed_in(connection, record)) {
    reporter.warn(kept + " is left in place: messages point at it");
  }
  reporter.info("the raw tables restore " + record.id + " had brought in are dropped");
  discard_unswapped(connection, record, RestoreState::rolled_back, "rolled back");
  status.state = RestoreState::rolled_back;
  status.swapped = false;
  return status;
}

} // namespace

void complete_add_raw(Connection& connection, const RestoreRecord& record) {
  for (const auto& database : record.databases) {
    drop_database_if_exists(connection, database.staging);
  }
  drop_return_marker(connection, record.id);
  Journal(connection).set_state(record.id, RestoreState::finished, "raw tables brought back");
}

void settle_previous_restore(Connection& connection, bool dry_run, core::Reporter& reporter) {
  auto status = read_status(connection, true);
  if (!status.record || !is_open(status.record->state)) {
    return;
  }
  const auto& latest = *status.record;
  if (status.swapped) {
    throw core::Error(core::ExitCode::refused,
                      "restore " + latest.id + " of " + latest.archive + " is not finished: "
                          + (latest.kind == RestoreKind::add_raw
                                 ? "its raw tables were brought in but not all re-linked"
                                 : "it is awaiting migrations"),
                      {"finish it (`postal-backup finish`) or undo it (`postal-backup rollback`) "
                       "before starting another"});
  }
  if (dry_run) {
    reporter.warn("restore " + latest.id
                  + " had been interrupted before its swap (live data untouched); the restore "
                    "removes its staging databases first");
    return;
  }
  discard_unswapped(connection, latest, RestoreState::abandoned, "interrupted before its swap");
  reporter.warn("restore " + latest.id
                + " had been interrupted before its swap (live data untouched); its staging "
                  "databases were removed");
}

RestoreStatus restore_status(Connection& connection, const postal::ReleaseCatalog& catalog) {
  auto status = read_status(connection, lock_is_free(connection));
  evaluate(connection, catalog, status);
  return status;
}

std::optional<RestoreRecord> swapped_unfinished_restore(Connection& connection) {
  auto status = read_status(connection, lock_is_free(connection));
  if (status.state != RestoreState::awaiting_migrations) {
    return std::nullopt;
  }
  return status.record;
}

std::optional<RestoreRecord> latest_restore(Connection& connection) {
  return Journal(connection).latest();
}

void complete_restore(Connection& connection, const RestoreRecord& record, bool keep_previous) {
  for (const auto& database : record.databases) {
    drop_database_if_exists(connection, database.staging);
    if (!keep_previous) {
      drop_database_if_exists(connection, database.previous);
    }
  }
  drop_swap_marker(connection, record.id);
  Journal(connection)
      .set_state(record.id, RestoreState::finished, keep_previous ? "previous databases kept" : "");
}

void discard_unswapped(Connection& connection,
                       const RestoreRecord& record,
                       RestoreState final_state,
                       const std::string& message) {
  for (const auto& database : record.databases) {
    drop_database_if_exists(connection, database.staging);
    drop_database_if_exists(connection, database.previous);
    // A live database this restore created holds nothing when the swap did not happen.
    if (database.created_live && base_tables(connection, database.live).empty()) {
      drop_database_if_exists(connection, database.live);
    }
  }
  drop_swap_marker(connection, record.id);
  drop_return_marker(connection, record.id);
  Journal(connection).set_state(record.id, final_state, message);
}

int run_operator_command(const std::string& command,
                         const std::map<std::string, std::string>& environment,
                         core::Reporter& reporter) {
  reporter.info("running: " + command);
  const int exit_status = core::run_shell_command(command, environment);
  if (exit_status != 0) {
    reporter.warn("`" + command + "` failed with exit status " + std::to_string(exit_status));
  }
  return exit_status;
}

int run_migration_command(const std::string& command,
                          const RestoreRecord& record,
                          core::Reporter& reporter) {
  const auto target = target_from_json(record.target_json);
  return run_operator_command(
      command,
      {{"POSTAL_BACKUP_RESTORE_ID", record.id}, {"POSTAL_BACKUP_TARGET_VERSION", target.version}},
      reporter);
}

RestoreStatus finish_restore(Connection& connection,
                             const postal::ReleaseCatalog& catalog,
                             bool keep_previous,
                             core::Reporter& reporter) {
  RestoreLock lock(connection);
  auto status = open_restore(connection, "finish");
  if (status.swapped && status.record->kind == RestoreKind::add_raw) {
    return finish_add_raw(connection, std::move(status), reporter);
  }
  if (!status.swapped) {
    throw core::Error(core::ExitCode::refused,
                      "restore " + status.record->id
                          + " was interrupted before its swap: the live databases were never "
                            "touched",
                      {"run `postal-backup rollback` to remove its staging databases"});
  }
  evaluate(connection, catalog, status);
  if (status.gate->holds) {
    const bool keep = keep_previous || status.record->keep_previous;
    complete_restore(connection, *status.record, keep);
    std::string kept;
    for (const auto& database : keep ? status.record->databases : std::vector<JournalDatabase>{}) {
      kept += (kept.empty() ? "" : ", ") + database.previous;
    }
    reporter.info("restore " + status.record->id + " finished"
                  + (kept.empty() ? std::string()
                                  : "; the replaced data is kept in " + kept
                                        + " (DROP DATABASE them once no longer needed)"));
    status.state = RestoreState::finished;
  }
  return status;
}

RestoreStatus
rollback_restore(Connection& connection, unsigned lock_wait_seconds, core::Reporter& reporter) {
  RestoreLock lock(connection);
  auto status = open_restore(connection, "roll back");
  if (status.swapped && status.record->kind == RestoreKind::add_raw) {
    return rollback_add_raw(connection, std::move(status), reporter);
  }
  if (status.swapped) {
    swap_back(connection, status.record->id, status.record->databases, lock_wait_seconds);
    core::failpoint("rollback.after_swap_back");
    reporter.info("the databases set aside by restore " + status.record->id + " are back");
  }
  discard_unswapped(connection, *status.record, RestoreState::rolled_back, "rolled back");
  status.state = RestoreState::rolled_back;
  status.swapped = false;
  return status;
}

std::string command_digest(const std::string& command) {
  return "sha256:" + core::hash::sha256_hex(command);
}

RestoreStatus run_scheduled(Connection& connection,
                            const postal::ReleaseCatalog& catalog,
                            const std::string& command,
                            core::Reporter& reporter) {
  auto status = restore_status(connection, catalog);
  if (status.state != RestoreState::awaiting_migrations || status.gate->holds) {
    return status.state == RestoreState::awaiting_migrations
               ? finish_restore(connection, catalog, false, reporter)
               : status;
  }
  const auto& record = *status.record;
  if (record.scheduled_digest.empty()) {
    reporter.warn("restore " + record.id
                  + " scheduled no migrations (restore --schedule-migrations); not running `"
                  + command + "`");
  } else if (record.scheduled_digest != command_digest(command)) {
    reporter.warn("restore " + record.id + " scheduled another command than `" + command
                  + "`; not running it");
  } else if (!record.scheduled_exit) {
    RestoreLock lock(connection);
    const int exit_status = run_migration_command(command, record, reporter);
    Journal(connection).record_scheduled_run(record.id, exit_status);
  }
  return finish_restore(connection, catalog, false, reporter);
}

} // namespace pbk::restore
