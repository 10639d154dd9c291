// SPDX-License-Identifier: MIT
// Every exit code a command ends with is decided here or in app.cpp. An error carries its
// class (core::ExitCode) and app.cpp returns it; a command that ran to the end maps what it
// found with these, so that `plan` and `restore`, `schema check` and `status` give 3 for the
// same reason, and the table of --help and the man page holds for every command.
#pragma once

#include "postal/plan.hpp"
#include "postal/schema_check.hpp"
#include "repository/prune_job.hpp"

#include "core/finding.hpp"
#include "restore/journal.hpp"

namespace pbk::cli {

[[nodiscard]] int exit_code_of(postal::Verdict verdict);     // 0 ready, 3, 5 refused
[[nodiscard]] int exit_code_of(postal::SchemaStatus status); // 0 healthy, 3, 4 drift
[[nodiscard]] int exit_code_of(restore::RestoreState state); // 3 while awaiting migrations
[[nodiscard]] int exit_code_of(const repository::PruneReport& report); // 4 damage, 1, 0
// `drill`: 0 when the archive restores into a healthy install, 4 when not; 3 when it does but
// the migrations of --target-version were not run (no --migrate-with) and a restore would
// await them.
[[nodiscard]] int drill_exit_code(bool healthy, bool migrations_pending);
// `doctor`: 0 when nothing worse than info was found, 3 for warnings, 5 for a failure (a
// setting or state that will make a backup or restore fail).
[[nodiscard]] int doctor_exit_code(core::Severity worst);
// `list`: 4 when a backup it verified is damaged.
[[nodiscard]] int listing_exit_code(bool damage_found);

} // namespace pbk::cli
