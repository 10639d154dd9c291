// SPDX-License-Identifier: MIT
// `restore` (DESIGN §5): decide from backup.json, preflight the target, load every table
// into staging databases while verifying the archive, check Postal's invariants, swap with
// one atomic RENAME TABLE, then hold the migration gate. Until the swap the live databases
// are untouched; a failure or kill before it leaves them exactly as they were, after it the
// journal and `rollback` can put them back.
#pragma once

#include "postal/plan.hpp"
#include "postal/release_catalog.hpp"

#include "core/crypto/secret_bytes.hpp"
#include "core/db/connection_options.hpp"
#include "core/reporter.hpp"
#include "restore/config_restore.hpp"
#include "restore/gate.hpp"
#include "restore/journal.hpp"
#include "restore/raw_selection.hpp"
#include "restore/row_loader.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

struct RestoreOptions {
  std::string archive; // a file, or "-" for standard input
  core::db::ConnectionOptions connection;
  std::string main_db = "postal";
  std::string message_db_prefix = "postal";
  std::vector<std::string> only; // --databases (names as in the archive); empty: all
  RawSelection raw;              // --without-raw, --raw-since, --raw-days
  std::optional<postal::MigrationTarget> target; // named by the operator; else the server's
  postal::ReleaseCatalog catalog;
  bool force = false;
  bool keep_previous = false;
  std::string migrate_with;
  std::string schedule_migrations;
  std::string tool_version;
  unsigned lock_wait_seconds = 30;
  unsigned workers = 4;                     // loader threads, each with its own connection
  std::optional<LoadMethod> load_method;    // nullopt: the fastest the server allows
  std::filesystem::path config_destination; // --config-dest; empty: config members only verified
  std::optional<core::crypto::SecretBytes> secret; // an encrypted archive's key
  // The key the archive must be signed by (--public-key, POSTAL_BACKUP_PUBLIC_KEY); a pipe is
  // then refused, since its manifest comes after its data.
  std::optional<std::filesystem::path> public_key;
  // `restore --dry-run`, `plan` with a target server: every decision and refusal of a restore
  // up to its first write, then the outcome it would reach; nothing is written to the server.
  bool dry_run = false;
};

struct RestoreOutcome {
  bool dry_run = false; // state and databases are what the restore would reach and write
  std::string id;
  archive::BackupInfo info;
  postal::MigrationTarget target;
  std::optional<std::string> target_release_range; // releases at the target's levels
  postal::Plan plan;
  RestoreState state = RestoreState::finished;
  std::optional<GateResult> gate;
  std::optional<int> migrate_exit; // --migrate-with's exit status
  // --force replaced live data: the restore stays open (rollback possible) until `finish`,
  // which keeps the replaced databases too.
  bool replaced_data_kept = false;
  std::vector<JournalDatabase> databases;
  // The raw tables a selective restore leaves out; their messages are left as Postal's
  // raw-message retention leaves them (postal/raw_retention.hpp).
  std::vector<LeftOutTable> raw_left_out;
  std::vector<ConfigFileOutcome> config_files; // --config-dest: each file written or left alone
  std::vector<std::string> warnings;
  // database.table of each table created ROW_FORMAT=DYNAMIC instead of its archived format
  // (Postal 3.x migrations need it); one warning names how many.
  std::vector<std::string> dynamic_row_format_tables;
  std::string load_method;
  std::uint64_t rows = 0;
  std::uint64_t load_retries = 0; // members loaded again after a deadlock or lock wait timeout
  std::uint64_t raw_bytes = 0;
  std::uint64_t stored_bytes = 0;
  double seconds = 0;
};

// A dry run whose plan is refused returns with plan.verdict refused (nothing else checked); a
// restore throws that refusal.
[[nodiscard]] RestoreOutcome run_restore(const RestoreOptions& options, core::Reporter& reporter);

} // namespace pbk::restore
