// SPDX-License-Identifier: MIT
// `doctor`'s judgement of a backup directory: how old its newest backup that passes a full
// verify is (chosen as prune and drill choose it), and whether the next backup fits in the
// room left. Backups that stop silently are found by their age, not by a missing error.
#pragma once

#include "repository/prune_job.hpp"

#include "core/clock.hpp"
#include "core/finding.hpp"
#include "core/reporter.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pbk::repository {

// A nightly backup is at most a day old, plus a run's own time and a late start.
inline constexpr std::chrono::hours k_default_max_backup_age{26};

// The newest verified backup's age (failure when there is none: nothing to restore; warning
// when older than `max_age`), and the room in `directory` for one more backup of the newest
// one's size (what it added to the directory, in a repository).
[[nodiscard]] std::vector<core::Finding>
judge_backup_directory(const std::filesystem::path& directory,
                       const ArchiveVerifier& verify,
                       const std::optional<std::filesystem::path>& public_key,
                       std::chrono::hours max_age,
                       core::Reporter& reporter);

// The age finding alone: `newest` the verified backup (name, created_at), nullopt for none.
struct NewestBackup {
  std::string name;
  std::optional<core::SystemTime> created_at; // nullopt: its created_at does not parse
};

[[nodiscard]] core::Finding judge_backup_age(const std::optional<NewestBackup>& newest,
                                             const std::string& directory,
                                             core::SystemTime now,
                                             std::chrono::hours max_age);

// "3 h", "2 days 4 h": ages in findings.
[[nodiscard]] std::string age_text(std::chrono::seconds age);

} // namespace pbk::repository
