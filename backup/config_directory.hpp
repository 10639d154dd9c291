// SPDX-License-Identifier: MIT
// Postal's config directory (postal.yml, signing.key, …) for `create --include-config`. It
// is flat: the regular files directly in it are stored, a symbolic link to a regular file as
// the file it points to (certificates are often links into /etc/letsencrypt); directories
// and everything else are skipped and named, so the operator sees what was left out. It is
// read whole before any database work, so an unreadable signing.key fails the backup at
// once, and is capped at archive::k_max_config_bytes.
#pragma once

#include "archive/archive_builder.hpp"
#include "archive/compressed_member.hpp"
#include "archive/manifest.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace pbk::backup {

struct ConfigFileData {
  archive::ConfigFile file;
  std::string content;
};

struct ConfigDirectory {
  std::string directory;             // absolute, as backup.json records it
  std::vector<ConfigFileData> files; // by name, byte-wise
  std::vector<std::string> skipped;  // "certs (a directory)", one per entry left out
};

// Throws Error: usage when `directory` is not a directory or holds no file, runtime when a
// file cannot be read (with a hint about permissions) or the files exceed the cap.
[[nodiscard]] ConfigDirectory read_config_directory(const std::filesystem::path& directory);

[[nodiscard]] archive::ConfigInfo config_info(const ConfigDirectory& config);

// Each file as one config member (config/<name>.zst), through the same compression and
// member-writing path as the tables.
void add_config_members(archive::ArchiveBuilder& builder,
                        const ConfigDirectory& config,
                        const archive::CompressionSettings& settings);

} // namespace pbk::backup
