// SPDX-License-Identifier: MIT
// `verify`: proves an archive intact without a database. Every member is hashed and
// decompressed as it streams by (zstd's own frame checksum is checked too), and once the
// manifest arrives, last, the observed members must equal its list exactly: same paths in
// the same order, sizes, SHA-256 and row counts; and the manifest must hash to itself and
// agree with backup.json. The first difference is reported as an IntegrityError (exit 4).
#pragma once

#include "core/reporter.hpp"
#include "manifest/manifest.hpp"

#include <cstdint>
#include <string>

namespace pbk::restore {

struct VerifyReport {
  manifest::BackupInfo info;
  manifest::Manifest manifest;
  std::uint64_t members = 0;
  std::uint64_t stored_bytes = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t rows = 0;
  double seconds = 0;
};

// `path` is a file or "-" for standard input.
[[nodiscard]] VerifyReport verify_archive(const std::string& path, core::Reporter& reporter);

} // namespace pbk::restore
