// SPDX-License-Identifier: MIT
// An archive's members as (path, bytes) pairs, read and written with the tool's own tar
// stages, so tests can damage, drop, reorder or edit members and write the archive back.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pbk::test {

using ArchiveMembers = std::vector<std::pair<std::string, std::string>>;

// Throws when the archive cannot be read or ends inside a member.
[[nodiscard]] ArchiveMembers read_archive_members(const std::filesystem::path& archive);
// Replaces `archive` with a tar of `members`, in their order.
void write_archive_members(const std::filesystem::path& archive, const ArchiveMembers& members);

} // namespace pbk::test
