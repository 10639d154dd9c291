// SPDX-License-Identifier: MIT
// Crafted archives that are self-consistent: a member's contents rewritten and the manifest's
// record of it (size, SHA-256, raw size, rows) and self-hash made to match, so only what the
// contents say is wrong, as a forger with no key would write them. Plain archives only: an
// HMAC or signature is left as it was (stale), or re-made with another signing key.
#pragma once

#include "core/crypto/ed25519.hpp"
#include "tests/support/archive_members.hpp"

#include <optional>
#include <string>

namespace pbk::test {

// The member's data after zstd -d.
[[nodiscard]] std::string decompressed(const std::string& data);

// Replaces the plain contents of table member `path` (compressing them) and records them.
void replace_table_member(ArchiveMembers& members, const std::string& path, const std::string& raw);

// Replaces backup.json and records it.
void replace_backup_json(ArchiveMembers& members, const std::string& text);

// Renames a member and its manifest record (a forger moving a table's data elsewhere).
void rename_member(ArchiveMembers& members, const std::string& from, const std::string& to);

// Writes manifest.json again from the records: self-hash recomputed; signed by `key` when
// given, else unsigned.
void reseal_manifest(ArchiveMembers& members,
                     const std::optional<core::crypto::SigningKey>& key = std::nullopt);

} // namespace pbk::test
