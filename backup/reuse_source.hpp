// SPDX-License-Identifier: MIT
// create --incremental: what the repository's newest backup stored of each past raw table,
// read from its authenticated manifest, so this backup can reference those stored members
// instead of reading the table again (docs/operations.md, "Incremental backups").
#pragma once

#include "archive/manifest.hpp"

#include "core/crypto/ed25519.hpp"
#include "core/crypto/secret_bytes.hpp"
#include "core/reporter.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pbk::backup {

struct StoredTable {
  archive::TableRecord record; // with its proof
  std::vector<archive::MemberRecord> members;
};

struct ReuseSource {
  std::string backup_name; // the repository backup the tables come from
  std::optional<archive::EncryptionInfo> encryption;
  std::map<std::pair<std::string, std::string>, StoredTable> tables; // (database, table)
};

// The newest complete backup of `directory` whose data members are in its store, with its
// manifest authenticated (its key's HMAC with `secret`, a signature by `public_key`). A backup
// that fails is named in a warning and the next older one is tried; nullopt when none is left
// (a first incremental run, or a directory of full archives only: everything is stored anew).
[[nodiscard]] std::optional<ReuseSource>
read_reuse_source(const std::filesystem::path& directory,
                  const std::optional<core::crypto::SecretBytes>& secret,
                  const std::optional<core::crypto::VerifyKey>& public_key,
                  core::Reporter& reporter);

} // namespace pbk::backup
