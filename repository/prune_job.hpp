// SPDX-License-Identifier: MIT
// `prune`: applies a retention policy to a backup directory, with safety rules no policy can
// override. It never deletes a file that is not ours or not complete (judged by content), nor
// a .partial, nor the newest backup that passes a full verify (checked newest first until one
// passes; a damaged backup is reported, not counted by any rule, and never deleted). A backup
// whose date cannot be believed (date_trust.hpp) or, with a public key, that is not signed by
// it is treated the same way: it takes no slot of any rule, is never the newest intact one,
// and is never deleted.
// Deletion is unlink, then fsync of the directory, and only of the very file that was judged.
#pragma once

#include "repository/backup_directory.hpp"
#include "repository/retention_policy.hpp"
#include "repository/store_collection.hpp"

#include "core/reporter.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pbk::repository {

// A full verify of one archive: throws core::Error when it is damaged or not signed by the
// key given. The caller supplies it, so the repository needs no verify of its own.
using ArchiveVerifier = std::function<void(const std::filesystem::path& archive)>;

struct PruneOptions {
  std::filesystem::path directory;
  ArchiveVerifier verify;
  RetentionRules rules; // at least one rule: an empty policy is a usage error
  bool dry_run = false;
  // create --prune: the archive just written. Kept, and verified first, even when an older
  // file has the same created_at second and sorts after it.
  std::string just_created;
  // --public-key / POSTAL_BACKUP_PUBLIC_KEY: only backups signed by it count; the others are
  // reported, kept and counted by no rule.
  std::optional<std::filesystem::path> public_key;
};

struct PruneEntry {
  BackupFile file;
  bool keep = true;
  std::vector<std::string> reasons;        // why it is kept (empty when removed)
  bool verified = false;                   // a full verify ran and passed
  std::optional<std::string> verify_error; // a full verify ran and failed
  bool removed = false;                    // unlinked (never on a dry run)
  std::optional<std::string> remove_error;
};

struct PruneReport {
  std::filesystem::path directory;
  bool dry_run = false;
  std::vector<PruneEntry> entries; // newest first, in-progress files last
  std::vector<IgnoredFile> ignored;
  std::optional<std::string> newest_intact; // file name of the newest backup that verified
  std::optional<StoreCollection> store;     // a repository: what its store freed (would free)

  // A verify failed, or a signature did not hold for --public-key.
  [[nodiscard]] bool damage_found() const;
  [[nodiscard]] bool remove_failed() const;
};

// The newest complete backup of `directory` that passes `verify`, checked newest first as
// prune finds its newest intact one (a backup whose date or signature cannot be believed is
// never chosen; each one that fails is reported as a warning); nullopt when none passes.
[[nodiscard]] std::optional<std::filesystem::path>
newest_verified_backup(const std::filesystem::path& directory,
                       const ArchiveVerifier& verify,
                       const std::optional<std::filesystem::path>& public_key,
                       core::Reporter& reporter);

// The same, with what the directory's scan knows of it (created_at, size).
[[nodiscard]] std::optional<BackupFile>
newest_verified_backup_file(const std::filesystem::path& directory,
                            const ArchiveVerifier& verify,
                            const std::optional<std::filesystem::path>& public_key,
                            core::Reporter& reporter);

// Throws Error(usage) for an empty policy and IoError when the directory cannot be read or
// synced; a file that cannot be removed is reported in its entry instead.
[[nodiscard]] PruneReport prune_backups(const PruneOptions& options, core::Reporter& reporter);

} // namespace pbk::repository
