// SPDX-License-Identifier: MIT
// `verify`: proves an archive intact without a database. Every member is hashed and
// decompressed as it streams by (zstd's own frame checksum is checked too), and once the
// manifest arrives, last, the observed members must equal its list exactly: same paths in
// the same order, sizes, SHA-256 and row counts; and the manifest must hash to itself and
// agree with backup.json. The first difference is reported as an IntegrityError (exit 4).
#pragma once

#include "archive/manifest.hpp"

#include "core/crypto/secret_bytes.hpp"
#include "core/reporter.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace pbk::verify {

struct VerifyReport {
  archive::BackupInfo info;
  archive::Manifest manifest;
  std::uint64_t members = 0;
  std::uint64_t stored_bytes = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t rows = 0;
  double seconds = 0;
  bool encrypted = false;
  bool contents_opened = true;       // false: encrypted and no key, only stored bytes were checked
  std::optional<std::string> signer; // fingerprint of the signing key, as recorded
  bool signature_checked = false;    // against --public-key
};

struct VerifyOptions {
  std::string archive;                             // a file or "-" for standard input
  std::optional<core::crypto::SecretBytes> secret; // --key-file / --passphrase-file
  std::optional<std::filesystem::path> public_key; // --public-key: the signature must hold
  unsigned workers = 0; // threads that decompress members; 0: one per CPU, at most 4
};

// `path` is a file or "-" for standard input.
[[nodiscard]] VerifyReport verify_archive(const std::string& path, core::Reporter& reporter);
[[nodiscard]] VerifyReport verify_archive(const VerifyOptions& options, core::Reporter& reporter);

} // namespace pbk::verify
