// SPDX-License-Identifier: MIT
// What `inspect` shows: backup.json and, when the archive is complete, manifest.json, read
// without checking any checksum (that is `verify`'s job, and it costs a full decompression).
#pragma once

#include "archive/manifest.hpp"

#include <optional>
#include <string>

namespace pbk::archive {

struct ArchiveContents {
  archive::BackupInfo info;
  std::optional<archive::Manifest> manifest; // absent: truncated or unfinished archive
  std::string damage; // why the manifest is absent, when the archive's tail is damaged
  std::uint64_t members = 0;
};

[[nodiscard]] ArchiveContents read_archive_info(const std::string& path);
// backup.json alone, from the first member; reads nothing after it, so a plan from a pipe
// (path "-") or a multi-gigabyte archive costs one tar block and the JSON.
[[nodiscard]] archive::BackupInfo read_backup_info(const std::string& path);

} // namespace pbk::archive
