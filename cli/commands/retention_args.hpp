// SPDX-License-Identifier: MIT
// Shared by `prune` and `create --prune`: the --keep-* options, and how a prune's decisions
// are shown (one line per file with its reasons, or JSON). Also the JSON of one backup file,
// shared with `list`.
#pragma once

#include "cli/commands/commands.hpp"
#include "restore/prune_job.hpp"

#include <string>
#include <vector>

namespace pbk::cli {

struct RetentionArgs {
  unsigned keep_last = 0;
  unsigned keep_daily = 0;
  unsigned keep_weekly = 0;
  unsigned keep_monthly = 0;
  unsigned keep_yearly = 0;
  std::vector<std::string> keep_tags;
  unsigned keep_per_version = 0;

  void add_to(CLI::App& command);
  [[nodiscard]] restore::RetentionRules rules() const;
};

[[nodiscard]] nlohmann::ordered_json backup_file_json(const restore::BackupFile& file);
[[nodiscard]] nlohmann::ordered_json ignored_json(const std::vector<restore::IgnoredFile>& files);
[[nodiscard]] nlohmann::ordered_json prune_json(const restore::PruneReport& report);
// One line per file on stdout ("keep", "remove", "would remove") with its reasons.
void print_prune_report(const restore::PruneReport& report);
// 4 when a verify failed, 1 when a file could not be removed, else 0.
[[nodiscard]] int prune_exit_code(const restore::PruneReport& report);

} // namespace pbk::cli
