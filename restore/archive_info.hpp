// SPDX-License-Identifier: MIT
// What `inspect` shows: backup.json and, when the archive is complete, manifest.json, read
// without checking any checksum (that is `verify`'s job, and it costs a full decompression).
#pragma once

#include "manifest/manifest.hpp"

#include <optional>
#include <string>

namespace pbk::restore {

struct ArchiveContents {
  manifest::BackupInfo info;
  std::optional<manifest::Manifest> manifest; // absent: truncated or unfinished archive
  std::uint64_t members = 0;
};

[[nodiscard]] ArchiveContents read_archive_info(const std::string& path);

} // namespace pbk::restore
