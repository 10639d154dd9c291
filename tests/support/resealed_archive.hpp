// SPDX-License-Identifier: MIT
// Crafted archives that are self-consistent: a member's contents rewritten and the manifest's
// record of it (size, SHA-256, raw size, rows) and self-hash made to match, so only what the
// contents say is wrong, as a forger with no key would write them. Plain archives only: an
// HMAC or signature is left as it was (stale), or re-made with another signing key.
#pragma once

#include "core/crypto/ed25519.hpp"
#include "tests/support/archive_members.hpp"
#include "tests/support/zstd_text.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::test {

// Replaces member `path` by `stored` (raw_size bytes after zstd -d) and records its size,
// SHA-256 and raw size; its recorded rows stay as they were.
void reseal_member(ArchiveMembers& members,
                   const std::string& path,
                   std::string stored,
                   std::uint64_t raw_size);

// Replaces the plain contents of table member `path` (compressing them) and records them,
// rows included (the table's total and content checksum too).
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
