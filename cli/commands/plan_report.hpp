// SPDX-License-Identifier: MIT
// How a plan reads (text or JSON), shared by `plan` judging an archive alone and by the dry run
// of a restore (`restore --dry-run`, `plan` with a target server), which adds what the restore
// would write and end in. The printed steps are complete commands (NextSteps).
#pragma once

#include "postal/plan.hpp"

#include "cli/commands/commands.hpp"
#include "cli/next_steps.hpp"
#include "restore/restore_job.hpp"

#include <optional>
#include <string>

namespace pbk::cli {

struct PlanReport {
  const archive::BackupInfo& backup;
  const postal::MigrationTarget& target;
  std::optional<std::string> target_release_range;
  const postal::Plan& plan;
  std::vector<std::string> commands; // completed
};

// Prints the plan (text, --quiet's one line, or JSON) and sets the exit code from its verdict.
void present_plan(const PlanReport& report, CommandContext& context);

// Runs `options` (dry_run set) and presents its outcome: the plan, then what the restore would
// write and end in. Exit codes as restore's: 0 it would finish, 3 await migrations, 5 refused.
void run_restore_dry_run(const restore::RestoreOptions& options,
                         const NextSteps& steps,
                         CommandContext& context);

} // namespace pbk::cli
