// SPDX-License-Identifier: MIT
// `create`: one archive holding the main database and every message database as of one
// instant per server. The job composes the stages (snapshot, table dumper, archive builder,
// output) and owns the order of events; it never parses arguments or prints.
#pragma once

#include "archive/archive_builder.hpp"
#include "archive/manifest.hpp"
#include "postal/postal_databases.hpp"

#include "backup/table_dumper.hpp"
#include "core/crypto/ed25519.hpp"
#include "core/crypto/secret_bytes.hpp"
#include "core/db/connection_options.hpp"
#include "core/reporter.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace pbk::backup {

struct OutputChoice {
  std::filesystem::path file;      // --output FILE
  std::filesystem::path directory; // --output-dir DIR: a generated name inside it
  bool to_stdout = false;          // --output -
};

// create --incremental (docs/operations.md, "Incremental backups"): the output directory is a
// repository whose store keeps every data member once.
struct IncrementalChoice {
  bool enabled = false;
  bool full = false;          // --full: store every table, reference nothing
  bool verify_reused = false; // --verify-reused: CHECKSUM TABLE before referencing a table
  std::optional<core::crypto::SecretBytes> secret;   // --encrypt's: the repository's key
  std::optional<core::crypto::VerifyKey> public_key; // earlier backups count only signed by it
};

struct BackupOptions {
  core::db::ConnectionOptions main_connection;
  core::db::ConnectionOptions message_connection;
  postal::DatabaseSelection selection;
  DumpSettings dump; // its compression.workers is decided by `threads`
  // Threads that compress: with 2 or more, that many connections read tables side by side
  // (one server only), each compressing its own members; 1 is one connection with one zstd
  // worker beside it; 0 does everything in one thread.
  unsigned threads = 2;
  OutputChoice output;
  std::optional<std::string> postal_version;
  archive::VersionSource version_source = archive::VersionSource::schema_level;
  std::optional<std::string> tag;
  std::filesystem::path config_directory; // --include-config; empty: none
  archive::ArchiveProtection protection;  // --encrypt, --sign-key
  IncrementalChoice incremental;
};

struct BackupSummary {
  std::string location;               // path, or "-"
  std::uint64_t stored_bytes = 0;     // written by this run (archive, and store when incremental)
  std::uint64_t referenced_bytes = 0; // incremental: stored by earlier backups, referenced
  std::size_t reused_tables = 0;      // incremental: past raw tables referenced, not read
  std::size_t reused_blocks = 0;      // incremental: id blocks of raw tables read again, not read
  std::string reused_from;            // incremental: the backup they were taken from
  std::uint64_t raw_bytes = 0;
  std::uint64_t rows = 0;
  double seconds = 0;
  std::string archive_sha256;
  std::size_t connections = 1;                 // read side by side (past raw tables)
  std::size_t snapshot_connections = 1;        // read side by side inside the snapshot
  std::string one_snapshot_connection_because; // set when lanes fell back to one there
  archive::BackupInfo info;
  archive::Manifest manifest;
};

[[nodiscard]] BackupSummary run_backup(const BackupOptions& options, core::Reporter& reporter);

// postal-backup-<UTC time>-<postal version or main level>[-<tag>].tar
[[nodiscard]] std::string archive_file_name(const archive::BackupInfo& info);

} // namespace pbk::backup
