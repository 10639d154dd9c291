// SPDX-License-Identifier: MIT
#include "repository/repository_usage.hpp"

#include "archive/member_store.hpp"

#include <set>

namespace pbk::repository {

RepositoryUsage repository_usage(const std::filesystem::path& directory,
                                 const std::vector<BackupFile>& backups) {
  RepositoryUsage usage;
  std::set<std::string> seen;
  for (auto file = backups.rbegin(); file != backups.rend(); ++file) {
    std::uint64_t added = file->size;
    for (const auto& [sha256, size] : file->stored_members) {
      if (seen.insert(sha256).second) {
        added += size;
      }
    }
    usage.stored_by[file->name] = added;
    usage.backup_files += file->size;
  }
  if (const auto store = archive::MemberStore::open_existing(directory)) {
    for (const auto& entry : store->directory().list()) {
      if (entry.regular) {
        usage.store += entry.size;
      }
    }
  }
  return usage;
}

} // namespace pbk::repository
