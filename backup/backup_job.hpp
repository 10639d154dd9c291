// SPDX-License-Identifier: MIT
// `create`: one archive holding the main database and every message database as of one
// instant per server. The job composes the stages (snapshot, table dumper, archive builder,
// output) and owns the order of events; it never parses arguments or prints.
#pragma once

#include "backup/postal_databases.hpp"
#include "backup/table_dumper.hpp"
#include "core/db/connection_options.hpp"
#include "core/reporter.hpp"
#include "manifest/manifest.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace pbk::backup {

struct OutputChoice {
  std::filesystem::path file;      // --output FILE
  std::filesystem::path directory; // --output-dir DIR: a generated name inside it
  bool to_stdout = false;          // --output -
};

struct BackupOptions {
  core::db::ConnectionOptions main_connection;
  core::db::ConnectionOptions message_connection;
  DatabaseSelection selection;
  DumpSettings dump;
  OutputChoice output;
  std::optional<std::string> postal_version;
  manifest::VersionSource version_source = manifest::VersionSource::schema_level;
  std::optional<std::string> tag;
  std::filesystem::path config_directory; // --include-config; empty: none
};

struct BackupSummary {
  std::string location; // path, or "-"
  std::uint64_t stored_bytes = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t rows = 0;
  double seconds = 0;
  std::string archive_sha256;
  manifest::BackupInfo info;
  manifest::Manifest manifest;
};

[[nodiscard]] BackupSummary run_backup(const BackupOptions& options, core::Reporter& reporter);

// postal-backup-<UTC time>-<postal version or main level>[-<tag>].tar
[[nodiscard]] std::string archive_file_name(const manifest::BackupInfo& info);

} // namespace pbk::backup
