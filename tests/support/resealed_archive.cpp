// SPDX-License-Identifier: MIT
#include "tests/support/resealed_archive.hpp"

#include "archive/manifest_json.hpp"
#include "archive/manifest_signature.hpp"

#include "core/hash/sha256.hpp"
#include "tests/support/zstd_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace pbk::test {
namespace {

archive::MemberRecord& record_of(archive::Manifest& manifest, const std::string& path) {
  const auto found = std::find_if(manifest.members.begin(),
                                  manifest.members.end(),
                                  [&](const auto& member) { return member.path == path; });
  if (found == manifest.members.end()) {
    throw std::runtime_error("no manifest record for " + path);
  }
  return *found;
}

std::pair<std::string, std::string>& member(ArchiveMembers& members, const std::string& path) {
  const auto found = std::find_if(
      members.begin(), members.end(), [&](const auto& entry) { return entry.first == path; });
  if (found == members.end()) {
    throw std::runtime_error("no member " + path);
  }
  return *found;
}

// Records `stored` as member `path`'s bytes; `rows`, when given, as its rows.
void record(ArchiveMembers& members,
            const std::string& path,
            std::string stored,
            std::uint64_t raw_size,
            std::optional<std::uint64_t> rows) {
  auto parsed = archive::parse_manifest(members.back().second);
  auto& entry = record_of(parsed, path);
  entry.size = stored.size();
  entry.sha256 = core::hash::sha256_hex(stored);
  entry.raw_size = raw_size;
  if (rows && entry.kind == archive::MemberKind::rows) {
    for (auto& table : parsed.tables) {
      if (table.database == entry.database && table.table == entry.table) {
        table.rows = table.rows - entry.rows + *rows;
      }
    }
    entry.rows = *rows;
  }
  member(members, path).second = std::move(stored);
  members.back().second = archive::serialize(parsed);
}

// A table's content checksum made to match its rows members as they now are, where the
// manifest records one.
void record_content_digest(ArchiveMembers& members, const std::string& path) {
  auto parsed = archive::parse_manifest(members.back().second);
  const auto& changed = record_of(parsed, path);
  for (auto& table : parsed.tables) {
    if (table.database != changed.database || table.table != changed.table
        || !table.content_sha256) {
      continue;
    }
    core::hash::Sha256 digest;
    for (const auto& entry : parsed.members) {
      if (entry.kind == archive::MemberKind::rows && entry.database == table.database
          && entry.table == table.table) {
        digest.update(zstd_decompressed(member(members, entry.path).second));
      }
    }
    table.content_sha256 = digest.finish_hex();
  }
  members.back().second = archive::serialize(parsed);
}

} // namespace

void reseal_member(ArchiveMembers& members,
                   const std::string& path,
                   std::string stored,
                   std::uint64_t raw_size) {
  record(members, path, std::move(stored), raw_size, std::nullopt);
}

void replace_table_member(ArchiveMembers& members,
                          const std::string& path,
                          const std::string& raw) {
  const auto rows = static_cast<std::uint64_t>(std::count(raw.begin(), raw.end(), '\n'));
  record(members, path, zstd_compressed(raw), raw.size(), rows);
  record_content_digest(members, path);
}

void replace_backup_json(ArchiveMembers& members, const std::string& text) {
  record(members, archive::k_backup_member, text, text.size(), std::nullopt);
}

void rename_member(ArchiveMembers& members, const std::string& from, const std::string& to) {
  auto parsed = archive::parse_manifest(members.back().second);
  record_of(parsed, from).path = to;
  member(members, from).first = to;
  members.back().second = archive::serialize(parsed);
}

void reseal_manifest(ArchiveMembers& members, const std::optional<core::crypto::SigningKey>& key) {
  auto parsed = archive::parse_manifest(members.back().second);
  parsed.signature.reset();
  if (!key) {
    members.back().second = archive::serialize(parsed);
    return;
  }
  parsed.signature = archive::signature_placeholder(*key);
  members.back().second =
      archive::serialize(parsed, [&](std::string_view authenticated, archive::Manifest& m) {
        archive::sign_manifest(authenticated, m, *key);
      });
}

} // namespace pbk::test
