// SPDX-License-Identifier: MIT
#include "repository/prune_job.hpp"

#include "archive/archive_authenticity.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/io/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <set>

namespace pbk::repository {
namespace {

// The repository's lock is waited for this long before prune gives up (docs/operations.md).
constexpr std::chrono::seconds k_lock_wait{600};

// A backup no rule may count: its date cannot be believed, or it is not signed by the key
// given. Such a backup is never "the newest intact" and never removed.
std::optional<std::string> not_countable(const BackupFile& file) {
  if (file.signature_error) {
    return "not signed by --public-key (" + *file.signature_error + ")";
  }
  if (file.untrusted_date) {
    return "untrusted date: " + *file.untrusted_date;
  }
  return std::nullopt;
}

// Verifies complete backups newest first until one passes; that one is kept whatever the
// policy says, so a prune can never leave the directory without a restorable backup.
void find_newest_intact(PruneReport& report,
                        const ArchiveVerifier& verify,
                        core::Reporter& reporter) {
  for (auto& entry : report.entries) {
    if (entry.file.state != BackupState::complete || not_countable(entry.file)) {
      continue;
    }
    reporter.info("verifying " + entry.file.name);
    try {
      verify(entry.file.path);
      entry.verified = true;
      entry.reasons.emplace_back("newest intact backup (verified)");
      report.newest_intact = entry.file.name;
      return;
    } catch (const core::Error& e) {
      if (e.code() == core::ExitCode::interrupted) {
        throw;
      }
      entry.verify_error = e.what();
      reporter.warn(entry.file.name + " failed verify: " + e.what());
    }
  }
}

void warn_not_countable(const PruneReport& report, core::Reporter& reporter) {
  for (const auto& entry : report.entries) {
    if (const auto why = not_countable(entry.file)) {
      reporter.warn(entry.file.name + ": " + *why
                    + ": kept, counted by no rule; check it and remove it by hand");
    }
  }
}

void put_just_created_first(PruneReport& report, const std::string& name) {
  const auto found = std::find_if(report.entries.begin(), report.entries.end(), [&](const auto& e) {
    return !name.empty() && e.file.name == name;
  });
  if (found != report.entries.end()) {
    found->reasons.emplace_back("just created");
    std::rotate(report.entries.begin(), found, found + 1);
  }
}

void apply_policy(PruneReport& report, const RetentionRules& rules) {
  std::vector<RetentionCandidate> candidates;
  std::vector<PruneEntry*> counted;
  for (auto& entry : report.entries) {
    const auto& file = entry.file;
    if (file.state == BackupState::in_progress) {
      entry.reasons.emplace_back("in progress (.partial)");
    } else if (file.state == BackupState::incomplete) {
      entry.reasons.emplace_back("incomplete (" + file.problem + "); prune never removes it");
    } else if (entry.verify_error) {
      entry.reasons.emplace_back("damaged (verify failed); prune never removes it");
    } else if (const auto why = not_countable(file)) {
      entry.reasons.push_back(*why + "; counted by no rule, prune never removes it");
    } else {
      candidates.push_back({file.name,
                            *parse_iso8601_utc(file.info->created_at),
                            file.info->tag,
                            file.info->postal.main_schema_level});
      counted.push_back(&entry);
    }
  }
  const auto decisions = apply_retention(rules, candidates);
  for (std::size_t i = 0; i < counted.size(); ++i) {
    auto& reasons = counted[i]->reasons;
    reasons.insert(reasons.end(), decisions[i].reasons.begin(), decisions[i].reasons.end());
  }
  for (auto& entry : report.entries) {
    entry.keep = !entry.reasons.empty();
  }
}

// Removes the file only when the path still names the file that was read and judged.
void remove_file(PruneEntry& entry) {
  struct stat st {};

  const auto& file = entry.file;
  if (::lstat(file.path.c_str(), &st) != 0 || st.st_dev != file.device || st.st_ino != file.inode
      || static_cast<std::uint64_t>(st.st_size) != file.size) {
    entry.keep = true;
    entry.reasons.emplace_back("changed since it was read; left alone");
    return;
  }
  if (::unlink(file.path.c_str()) != 0) {
    entry.remove_error = core::describe_errno("cannot remove " + file.path.string(), errno);
    return;
  }
  entry.removed = true;
}

void sync_directory(const std::filesystem::path& directory) {
  const auto fd = core::io::open_file(directory, O_RDONLY | O_DIRECTORY);
  if (::fsync(fd.get()) != 0) {
    const int err = errno;
    throw core::IoError(core::describe_errno("cannot fsync " + directory.string(), err), err);
  }
}

} // namespace

bool PruneReport::damage_found() const {
  for (const auto& entry : entries) {
    if (entry.verify_error || entry.file.signature_error) {
      return true;
    }
  }
  return false;
}

bool PruneReport::remove_failed() const {
  for (const auto& entry : entries) {
    if (entry.remove_error) {
      return true;
    }
  }
  return false;
}

std::optional<BackupFile>
newest_verified_backup_file(const std::filesystem::path& directory,
                            const ArchiveVerifier& verify,
                            const std::optional<std::filesystem::path>& public_key,
                            core::Reporter& reporter) {
  PruneReport report;
  for (auto& file :
       scan_backup_directory(directory, archive::load_public_key(public_key)).backups) {
    PruneEntry entry;
    entry.file = std::move(file);
    report.entries.push_back(std::move(entry));
  }
  find_newest_intact(report, verify, reporter);
  for (auto& entry : report.entries) {
    if (entry.verified) {
      return std::move(entry.file);
    }
  }
  return std::nullopt;
}

std::optional<std::filesystem::path>
newest_verified_backup(const std::filesystem::path& directory,
                       const ArchiveVerifier& verify,
                       const std::optional<std::filesystem::path>& public_key,
                       core::Reporter& reporter) {
  auto newest = newest_verified_backup_file(directory, verify, public_key, reporter);
  if (!newest) {
    return std::nullopt;
  }
  return newest->path;
}

PruneReport prune_backups(const PruneOptions& options, core::Reporter& reporter) {
  if (!options.rules.any()) {
    throw core::Error(core::ExitCode::usage,
                      "prune needs at least one --keep-* option: without one it would remove "
                      "every backup but the newest",
                      {"e.g. --keep-daily 7 --keep-weekly 4 --keep-monthly 6"});
  }
  PruneReport report;
  report.directory = options.directory;
  report.dry_run = options.dry_run;
  auto scanned =
      scan_backup_directory(options.directory, archive::load_public_key(options.public_key));
  report.ignored = std::move(scanned.ignored);
  for (auto& file : scanned.backups) {
    PruneEntry entry;
    entry.file = std::move(file);
    report.entries.push_back(std::move(entry));
  }
  put_just_created_first(report, options.just_created);
  warn_not_countable(report, reporter);
  find_newest_intact(report, options.verify, reporter);
  apply_policy(report, options.rules);
  const auto store = archive::MemberStore::open_existing(options.directory);
  if (options.dry_run) {
    if (store) {
      std::set<std::string> removed;
      for (const auto& entry : report.entries) {
        if (!entry.keep) {
          removed.insert(entry.file.name);
        }
      }
      report.store = collect_store(*store, options.directory, removed, true);
    }
    return report;
  }
  // Backups and stored members are deleted under the repository's exclusive lock: no
  // incremental create is then between storing members and committing the backup that
  // refers to them, and no export is reading them.
  std::optional<core::io::FileLock> lock;
  if (store) {
    lock = archive::lock_repository(*store, core::io::LockMode::exclusive, k_lock_wait, [&] {
      reporter.info("waiting for another postal-backup using " + options.directory.string()
                    + " (its lock is held)");
    });
  }
  bool removed_any = false;
  for (auto& entry : report.entries) {
    if (!entry.keep) {
      core::throw_if_interrupted();
      remove_file(entry);
      removed_any = removed_any || entry.removed;
    }
  }
  if (removed_any) {
    sync_directory(options.directory);
  }
  if (store) {
    report.store = collect_store(*store, options.directory, {}, false);
    if (report.store->held) {
      reporter.warn("stored members not freed: " + *report.store->held
                    + "; move that file out of the directory");
    }
  }
  return report;
}

} // namespace pbk::repository
