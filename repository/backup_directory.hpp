// SPDX-License-Identifier: MIT
// The backups in a directory, judged by what the files hold, never by their names: a file is
// ours when its first member is a backup.json that parses, and complete when it ends in a
// manifest.json whose self-hash matches and which records that very backup.json. Reading a
// directory costs one pass over each file's tar headers and JSON members; no decompression.
#pragma once

#include "archive/manifest.hpp"

#include "core/clock.hpp"
#include "core/crypto/ed25519.hpp"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pbk::repository {

enum class BackupState {
  complete,
  incomplete,  // ours, but no valid manifest: truncated, damaged or copied while written
  in_progress, // a .partial: create is writing it (or was killed while writing it)
};

[[nodiscard]] const char* to_string(BackupState state);

struct BackupFile {
  std::filesystem::path path;
  std::string name;
  BackupState state = BackupState::complete;
  std::optional<archive::BackupInfo> info; // absent only for an unreadable .partial
  std::optional<std::string> finished_at;  // manifest.json's, when complete
  bool manifest_signed = false;            // a complete backup's manifest carries a signature
  std::string problem;                     // why incomplete
  std::uint64_t size = 0;
  core::SystemTime modified;                  // mtime: evidence for created_at
  std::optional<std::string> untrusted_date;  // why created_at cannot be believed (date_trust)
  std::optional<std::string> signature_error; // a key was given and the signature does not hold
  // A repository backup (create --incremental): its data members are in the store, and these
  // are the stored members it refers to (SHA-256 → size).
  bool in_repository = false;
  std::map<std::string, std::uint64_t> stored_members;
  std::uint64_t member_bytes = 0; // what its members hold: the size of its exported archive
  dev_t device = 0;               // identity at scan time: prune deletes only the file it judged
  ino_t inode = 0;
};

struct IgnoredFile {
  std::string name;
  std::string reason;
};

struct BackupDirectory {
  std::vector<BackupFile> backups; // newest first by created_at; in-progress files last
  std::vector<IgnoredFile> ignored;
};

// Throws IoError when the directory cannot be read. With `public_key`, every complete backup's
// manifest signature is checked against it (signature_error says why one does not hold).
[[nodiscard]] BackupDirectory
scan_backup_directory(const std::filesystem::path& directory,
                      const std::optional<core::crypto::VerifyKey>& public_key = std::nullopt);

// The distinct message-database schema levels of a backup, ascending.
[[nodiscard]] std::vector<std::string> message_levels(const archive::BackupInfo& info);

} // namespace pbk::repository
