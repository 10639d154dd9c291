// SPDX-License-Identifier: MIT
#include "repository/backup_freshness.hpp"

#include "repository/repository_usage.hpp"
#include "repository/retention_policy.hpp"

#include "core/io/free_space.hpp"

namespace pbk::repository {
namespace {

using core::Finding;
using core::Severity;

// What the next backup will add: the newest complete one's share of the directory.
std::uint64_t last_backup_size(const std::filesystem::path& directory,
                               const std::vector<BackupFile>& backups) {
  const auto usage = repository_usage(directory, backups);
  for (const auto& file : backups) {
    if (file.state != BackupState::complete) {
      continue;
    }
    const auto stored = usage.stored_by.find(file.name);
    return stored != usage.stored_by.end() ? stored->second : file.size;
  }
  return 0;
}

Finding backup_space(const std::filesystem::path& directory) {
  const auto scanned = scan_backup_directory(directory);
  const auto space = core::io::free_space(directory);
  core::SpaceNeed need;
  need.id = "backup_dir_free_space";
  need.path = directory.string();
  need.free = space.bytes;
  need.unknown = space.error;
  need.needed = last_backup_size(directory, scanned.backups);
  need.needed_for = "a backup the size of the last one";
  need.fix = "free room in " + directory.string()
             + " (postal-backup prune --keep-daily N …), or back up to a larger disk";
  return core::free_space_finding(need);
}

} // namespace

std::string age_text(std::chrono::seconds age) {
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(age).count();
  if (hours < 48) {
    return std::to_string(hours) + " h";
  }
  return std::to_string(hours / 24) + " days " + std::to_string(hours % 24) + " h";
}

Finding judge_backup_age(const std::optional<NewestBackup>& newest,
                         const std::string& directory,
                         core::SystemTime now,
                         std::chrono::hours max_age) {
  Finding finding{Severity::ok, "newest_backup", directory, "", "", "", ""};
  const std::string create_fix = "check the nightly create (its cron mail or `journalctl -u "
                                 "postal-backup`), then run postal-backup create --output-dir "
                                 + directory;
  if (!newest) {
    finding.severity = Severity::failure;
    finding.value = "none";
    finding.message = "no backup in the directory passes verify: there is nothing to restore";
    finding.fix = create_fix;
    return finding;
  }
  if (!newest->created_at) {
    finding.severity = Severity::warning;
    finding.value = newest->name;
    finding.message = "the newest verified backup's date cannot be read";
    return finding;
  }
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - *newest->created_at);
  finding.value = newest->name + ", " + age_text(std::max(age, std::chrono::seconds(0))) + " old";
  if (age <= max_age) {
    finding.message =
        "the newest verified backup is younger than " + std::to_string(max_age.count()) + " h";
    return finding;
  }
  finding.severity = Severity::warning;
  finding.message = "the newest verified backup is older than " + std::to_string(max_age.count())
                    + " h: backups have stopped, or every newer one is damaged";
  finding.fix = create_fix;
  return finding;
}

std::vector<Finding> judge_backup_directory(const std::filesystem::path& directory,
                                            const ArchiveVerifier& verify,
                                            const std::optional<std::filesystem::path>& public_key,
                                            std::chrono::hours max_age,
                                            core::Reporter& reporter) {
  const auto file = newest_verified_backup_file(directory, verify, public_key, reporter);
  std::optional<NewestBackup> newest;
  if (file) {
    newest = NewestBackup{file->name,
                          file->info ? parse_iso8601_utc(file->info->created_at) : std::nullopt};
  }
  return {judge_backup_age(newest, directory.string(), std::chrono::system_clock::now(), max_age),
          backup_space(directory)};
}

} // namespace pbk::repository
