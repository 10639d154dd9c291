// SPDX-License-Identifier: MIT
// What a directory of backups costs on disk when it is a repository (create --incremental):
// each backup's own file plus the stored members it was the first to refer to, and the whole.
// Shared members are counted once, for the oldest backup that refers to them.
#pragma once

#include "repository/backup_directory.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pbk::repository {

struct RepositoryUsage {
  std::map<std::string, std::uint64_t> stored_by; // file name → bytes it added to the directory
  std::uint64_t backup_files = 0;                 // the backup files' bytes
  std::uint64_t store = 0;                        // bytes in the store

  [[nodiscard]] std::uint64_t total() const { return backup_files + store; }
};

// `backups` newest first, as scan_backup_directory returns them.
[[nodiscard]] RepositoryUsage repository_usage(const std::filesystem::path& directory,
                                               const std::vector<BackupFile>& backups);

} // namespace pbk::repository
