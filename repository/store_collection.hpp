// SPDX-License-Identifier: MIT
// The part of `prune` that frees a repository's store (archive/member_store.hpp): a stored
// member is deleted once no backup file of the directory refers to it, and the temporary files
// of killed runs go too. It runs under the repository's exclusive lock, so no incremental
// create is between storing a member and committing the backup that refers to it.
#pragma once

#include "archive/member_store.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace pbk::repository {

struct StoreCollection {
  std::size_t members = 0;         // stored members before
  std::uint64_t bytes = 0;         // their bytes before
  std::size_t freed_members = 0;   // deleted (or, on a dry run, that would be)
  std::uint64_t freed_bytes = 0;   //
  std::size_t leftovers = 0;       // temporary files of killed runs deleted
  std::optional<std::string> held; // why nothing was deleted (a backup file could not be read)
};

// The stored members each backup file of `directory` refers to, by reading its reference
// entries (never the members). Files named in `ignored` are left out (a dry run's "removed").
// Returns nullopt, with `unreadable` naming the file, when a .tar file cannot be read to its
// end: it might refer to anything, so nothing may be freed.
[[nodiscard]] std::optional<std::set<std::string>>
referenced_members(const std::filesystem::path& directory,
                   const std::set<std::string>& ignored,
                   std::string& unreadable);

// Deletes (or counts, when `dry_run`) what no backup refers to. The caller holds the lock.
[[nodiscard]] StoreCollection collect_store(const archive::MemberStore& store,
                                            const std::filesystem::path& directory,
                                            const std::set<std::string>& ignored,
                                            bool dry_run);

} // namespace pbk::repository
