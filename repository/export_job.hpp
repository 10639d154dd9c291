// SPDX-License-Identifier: MIT
// `export`: a backup copied into one self-contained archive of the single-file format
// (docs/format.md), for off-site copies and pipes. The backup is read twice: first to
// authenticate its manifest as verify and restore do (self-hash, backup.json, the key's HMAC
// when the key is given, the signature when a public key is), then to copy every member in
// order, each held to that manifest (path, size and SHA-256 of the stored bytes) as it streams.
// Sealed members are copied sealed and the manifest byte for byte, so the copy verifies,
// opens and is signed exactly as its source. Members are read only through ArchiveScanner: any
// backup it presents as an archive exports the same way, and a member never sits in memory.
//
// A difference is an IntegrityError naming the member: a file output is then never renamed
// into place (its .partial is removed); standard output stops before the end-of-archive
// blocks, so verify on the other side refuses the stream.
#pragma once

#include "archive/manifest.hpp"

#include "core/crypto/secret_bytes.hpp"
#include "core/reporter.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace pbk::repository {

struct ExportOptions {
  std::string backup; // a file: read twice, so never standard input (usage error)
  std::string output; // a new file (an existing one is refused), or "-" for standard output
  // Encrypted backups: with the key the manifest's HMAC is checked (as verify does); without
  // it the sealed members are still copied, and the report says the key checked nothing.
  std::optional<core::crypto::SecretBytes> secret;
  std::optional<std::filesystem::path> public_key; // the manifest must be signed by it
};

struct ExportReport {
  archive::BackupInfo info;
  archive::Manifest manifest;
  std::string location;      // the file written, or "-"
  std::uint64_t members = 0; // backup.json and manifest.json included
  std::uint64_t bytes = 0;   // of the archive written
  std::string sha256;        // of the archive written
  bool encrypted = false;
  bool hmac_checked = false; // the key authenticated the manifest
  bool signature_checked = false;
  double seconds = 0;
};

// Throws Error(usage) for standard input, a backup that is not a regular file, or an output
// that exists (the backup itself included); IntegrityError (exit 4) for a backup that does not
// authenticate or whose members differ from its manifest; IoError for the files.
[[nodiscard]] ExportReport export_backup(const ExportOptions& options, core::Reporter& reporter);

} // namespace pbk::repository
