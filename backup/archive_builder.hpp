// SPDX-License-Identifier: MIT
// Writes the archive in its required order (backup.json, data members, manifest.json) and
// keeps the manifest's member list in step with what was actually written, so the manifest
// can never describe a member the archive does not hold.
#pragma once

#include "backup/compressed_member.hpp"
#include "core/archive/tar_writer.hpp"
#include "core/io/byte_sink.hpp"
#include "manifest/manifest.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace pbk::backup {

class ArchiveBuilder {
public:
  ArchiveBuilder(core::io::ByteSink& out, std::int64_t mtime);

  void add_backup_info(const manifest::BackupInfo& info);
  // A finished member; returns its record as stored in the manifest.
  const manifest::MemberRecord& add_member(std::string path,
                                           manifest::MemberKind kind,
                                           const std::string& database,
                                           const std::string& table,
                                           const CompressedMember& member);
  // A finished config member (Postal's config directory), written like any other member.
  void add_config_file(const manifest::ConfigFile& file, const CompressedMember& member);
  void add_table(manifest::TableRecord record);
  // Writes manifest.json and the end of the tar; the caller then commits the output.
  [[nodiscard]] const manifest::Manifest& finish(std::string finished_at);

  [[nodiscard]] const manifest::Manifest& manifest() const { return m_manifest; }

private:
  core::archive::TarWriter m_tar;
  std::int64_t m_mtime;
  manifest::Manifest m_manifest;
};

} // namespace pbk::backup
