// SPDX-License-Identifier: MIT
// Shared by `prune` and `create --prune`: the --keep-* options, and how a prune's decisions
// are shown (one line per file with its reasons, or JSON). Also the JSON of one backup file,
// shared with `list`.
#pragma once

#include "repository/prune_job.hpp"

#include "cli/commands/commands.hpp"

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
  [[nodiscard]] repository::RetentionRules rules() const;
};

[[nodiscard]] nlohmann::ordered_json backup_file_json(const repository::BackupFile& file);
[[nodiscard]] nlohmann::ordered_json
ignored_json(const std::vector<repository::IgnoredFile>& files);
[[nodiscard]] nlohmann::ordered_json prune_json(const repository::PruneReport& report);
// One line per file on stdout ("keep", "remove", "would remove") with its reasons.
void print_prune_report(const repository::PruneReport& report);
// What prune calls to verify a backup: the full `verify`, with the key of --public-key.
[[nodiscard]] repository::ArchiveVerifier
full_verify(const std::optional<std::filesystem::path>& public_key);
// 4 when a verify failed, 1 when a file could not be removed, else 0.
[[nodiscard]] int prune_exit_code(const repository::PruneReport& report);

} // namespace pbk::cli
