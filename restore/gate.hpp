// SPDX-License-Identifier: MIT
// The migration gate of a guarded restore (DESIGN §5.5–6): the restored install may be
// declared finished only when every migration of the target release is recorded (main
// `schema_migrations`, each message DB's `migrations`) AND each database's structure matches
// the expected schema of the level it records. Recorded rows alone never pass: rows inserted
// by hand into schema_migrations leave the structure short of the level they claim.
#pragma once

#include "postal/plan.hpp"
#include "postal/release_catalog.hpp"

#include "core/db/connection.hpp"
#include "restore/journal.hpp"

#include <string>
#include <vector>

namespace pbk::restore {

struct GateResult {
  bool holds = false;
  std::vector<std::string> missing;   // one line each: what keeps the gate closed
  std::size_t migrations_missing = 0; // migrations not recorded, over every database

  // What a one-line report counts: the migrations missing, else the other lines.
  [[nodiscard]] std::size_t missing_count() const {
    return migrations_missing > 0 ? migrations_missing : missing.size();
  }

  std::vector<std::string> warnings; // a level without an expected schema, notes of the check
  // Structure that differs from what the recorded migrations say (e.g. rows typed into
  // schema_migrations by hand): `postal upgrade` runs only unrecorded migrations, so it cannot
  // fix these; the way back is `rollback`. A known drift with its own step is not among them.
  std::vector<std::string> unfixable;
};

[[nodiscard]] GateResult evaluate_gate(core::db::Connection& connection,
                                       const std::vector<JournalDatabase>& databases,
                                       const postal::MigrationTarget& target,
                                       const postal::ReleaseCatalog& catalog);

// The target as the journal keeps it, and back.
[[nodiscard]] std::string target_to_json(const postal::MigrationTarget& target);
[[nodiscard]] postal::MigrationTarget target_from_json(const std::string& json);

} // namespace pbk::restore
