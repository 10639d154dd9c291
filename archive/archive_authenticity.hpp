// SPDX-License-Identifier: MIT
// An archive's authenticity, established on manifest.json before anything it holds is used:
// the manifest hashes to itself, records this very backup.json (same SHA-256), carries the
// archive key's HMAC when the archive is encrypted and the key is known, and carries a valid
// signature by --public-key when one is given. Every member's digest is listed there, so the
// members are then held to the authenticated manifest as they stream (ArchiveWalk).
#pragma once

#include "archive/archive_scanner.hpp"
#include "archive/manifest.hpp"
#include "archive/member_opener.hpp"

#include "core/crypto/ed25519.hpp"
#include "core/crypto/secret_bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace pbk::archive {

// The environment variable naming the public key every archive must be signed by
// (docs/operations.md): set, it makes --public-key's check mandatory for every command that
// reads an archive.
inline constexpr const char* k_public_key_variable = "POSTAL_BACKUP_PUBLIC_KEY";

// --public-key when given, else the file POSTAL_BACKUP_PUBLIC_KEY names, else nullopt.
[[nodiscard]] std::optional<std::filesystem::path>
required_public_key(const std::optional<std::filesystem::path>& given);

// Loads the key (a missing or unreadable file fails here, before any archive is read).
[[nodiscard]] std::optional<core::crypto::VerifyKey>
load_public_key(const std::optional<std::filesystem::path>& path);

struct AuthenticArchive {
  archive::BackupInfo info;
  archive::Manifest manifest;
  std::string manifest_text;
  std::uint64_t members = 0; // backup.json and manifest.json included
  bool signature_checked = false;
  bool hmac_checked = false;
};

// Throws IntegrityError (exit 4) naming the first check that fails.
void authenticate_manifest(const std::string& manifest_text,
                           const archive::Manifest& manifest,
                           const std::string& backup_sha256,
                           const MemberOpener& opener,
                           const std::optional<core::crypto::VerifyKey>& public_key,
                           const std::string& label);

// Reads the archive to its end (members skipped, not decompressed) and authenticates it.
// `secret` is checked against backup.json before any member is read (MemberOpener::for_archive).
[[nodiscard]] AuthenticArchive
read_authentic(ArchiveScanner& scanner,
               const std::optional<core::crypto::SecretBytes>& secret,
               KeyUse use,
               const std::optional<core::crypto::VerifyKey>& public_key);

} // namespace pbk::archive
