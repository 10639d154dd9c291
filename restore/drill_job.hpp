// SPDX-License-Identifier: MIT
// `drill`: proves that an archive restores into a working install without touching one. The
// archive is loaded exactly as `restore` loads it (read ahead and authenticated, then walked
// through the same StagingLoader) into scratch databases `pbk_drill_<id>_main` and
// `pbk_drill_<id>-server-<n>`, then judged as Postal would see it: each database's structure
// against the expected schema of the level it records (the `schema check` logic), Postal's
// invariants (the restore's own check), and every table's row count and content checksum
// (manifest `content_sha256`, restore/content_digest.hpp) against the manifest.
// The scratch databases are dropped at the end, after a failure or a signal too.
//
// A drill is not a restore: it never reads or writes the restore journal, never takes the
// restore lock (a restore may run while a drill does, and `status` never shows a drill), and
// never names a live database. Each drill holds a server lock of its own,
// `postal-backup:drill:<id>`, for as long as it runs; the server frees it when the process
// dies, so the next drill drops the scratch databases of any drill whose lock is free.
#pragma once

#include "archive/manifest.hpp"
#include "postal/plan.hpp"
#include "postal/release_catalog.hpp"

#include "core/crypto/secret_bytes.hpp"
#include "core/db/connection_options.hpp"
#include "core/reporter.hpp"
#include "restore/row_loader.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

struct DrillOptions {
  std::string archive; // a file (a directory's newest verified backup is chosen by the caller)
  core::db::ConnectionOptions connection;
  // The names a restore would give the databases, used in what the checks report.
  std::string main_db = "postal";
  std::string message_db_prefix = "postal";
  postal::ReleaseCatalog catalog;
  unsigned workers = 4;
  std::optional<LoadMethod> load_method;
  std::optional<core::crypto::SecretBytes> secret;
  std::optional<std::filesystem::path> public_key;
  // --target-version: once the scratch databases pass at the archive's own level, the drill
  // rehearses the jump to this release: `migrate_with` migrates them (told their names in the
  // environment, see DrillUpgrade) and the restore gate judges them against the target.
  std::optional<postal::MigrationTarget> target;
  std::string migrate_with; // empty: nothing is run, the pending migrations are reported
};

// What a rehearsal of a version jump found (drill --target-version).
struct DrillUpgrade {
  std::string target_version;
  postal::Verdict verdict = postal::Verdict::ready; // the plan from the archive to the target
  bool rehearsed = false; // false: the archive failed at its own level, nothing was migrated
  std::optional<int> command_exit; // --migrate-with ran, with this exit status
  bool gate_holds = false;
  std::vector<std::string> missing; // what keeps the gate closed, one line each
};

struct DrillDatabase {
  std::string name;    // in the archive
  std::string scratch; // where the drill loaded it
  archive::DatabaseRole role = archive::DatabaseRole::main;
  std::string recorded_level;
  std::size_t tables = 0;
};

struct DrillOutcome {
  std::string id;
  std::string archive;
  archive::BackupInfo info;
  std::vector<DrillDatabase> databases;
  std::vector<std::string> failures; // one line each, naming what would not work; empty: healthy
  std::vector<std::string> warnings;
  std::vector<std::string> removed_leftovers; // scratch databases of drills that were killed
  std::optional<DrillUpgrade> upgrade;
  std::string load_method;
  std::size_t tables_checksum_matched = 0; // content checksum equal to the manifest's
  std::size_t tables_counted_only = 0;     // no checksum recorded (older archives): rows counted
  std::uint64_t rows = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t stored_bytes = 0;
  double seconds = 0;

  [[nodiscard]] bool healthy() const { return failures.empty(); }

  // Healthy at its own level, but the target's migrations were not run (no --migrate-with).
  [[nodiscard]] bool migrations_pending() const {
    return healthy() && upgrade && !upgrade->gate_holds;
  }
};

// A damaged archive throws IntegrityError (exit 4) naming the member, as restore would; what
// loads but is not a healthy install is returned in `failures`. The scratch databases are
// gone when this returns or throws (a SIGKILL leaves them to the next drill).
[[nodiscard]] DrillOutcome run_drill(const DrillOptions& options, core::Reporter& reporter);

// The scratch database names of drill `id` (8 lowercase hex digits).
[[nodiscard]] std::string drill_database_name(const std::string& id,
                                              const archive::DatabaseInfo& database);

} // namespace pbk::restore
