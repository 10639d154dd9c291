// SPDX-License-Identifier: MIT
#include "archive/member_check.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace pbk::archive {
namespace {

const std::vector<std::string> k_damaged_hint = {
    "the archive is damaged: restore from another copy; this one must not be trusted"};

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw core::IntegrityError(label + ": " + what, k_damaged_hint);
}

void check_one(const ObservedMember& seen,
               const archive::MemberRecord& expected,
               const std::string& label) {
  const std::string name = "member " + seen.path;
  if (seen.size != expected.size || seen.sha256 != expected.sha256) {
    fail(label,
         name + " checksum mismatch (stored " + std::to_string(seen.size) + " bytes, sha256 "
             + seen.sha256.substr(0, 12) + "…; manifest says " + std::to_string(expected.size)
             + " bytes, " + expected.sha256.substr(0, 12) + "…)");
  }
  if (!seen.opened) {
    return; // the stored bytes match; what they decompress to needs the key
  }
  if (seen.raw_size != expected.raw_size) {
    fail(label,
         name + " decompresses to " + std::to_string(seen.raw_size) + " bytes, the manifest says "
             + std::to_string(expected.raw_size));
  }
  if (expected.kind == archive::MemberKind::rows && seen.lines != expected.rows) {
    fail(label,
         name + " holds " + std::to_string(seen.lines) + " rows, the manifest says "
             + std::to_string(expected.rows));
  }
}

} // namespace

void check_members(const std::vector<ObservedMember>& observed,
                   const archive::Manifest& manifest,
                   const std::string& label) {
  const auto& expected = manifest.members;
  for (std::size_t i = 0; i < std::max(observed.size(), expected.size()); ++i) {
    if (i >= observed.size()) {
      fail(label, "member " + expected[i].path + " is missing");
    }
    if (i >= expected.size()) {
      fail(label, "member " + observed[i].path + " is not in the manifest");
    }
    if (observed[i].path != expected[i].path) {
      const bool listed = std::any_of(expected.begin(), expected.end(), [&](const auto& m) {
        return m.path == observed[i].path;
      });
      fail(label,
           listed ? "member " + observed[i].path + " is out of place (expected " + expected[i].path
                        + " at position " + std::to_string(i + 1)
                        + "): duplicated, reordered or a member is missing"
                  : "member " + observed[i].path + " is not in the manifest");
    }
    check_one(observed[i], expected[i], label);
  }
}

void check_tables(const archive::BackupInfo& info,
                  const archive::Manifest& manifest,
                  const std::string& label) {
  using Key = std::pair<std::string, std::string>;
  std::map<Key, std::pair<std::uint64_t, std::size_t>> from_members; // rows, chunks
  for (const auto& member : manifest.members) {
    if (member.kind == archive::MemberKind::rows) {
      auto& totals = from_members[{member.database, member.table}];
      totals.first += member.rows;
      totals.second += 1;
    }
  }
  std::map<Key, const archive::TableRecord*> records;
  for (const auto& table : manifest.tables) {
    records[{table.database, table.table}] = &table;
    const auto totals = from_members[{table.database, table.table}];
    if (totals.first != table.rows || totals.second != table.chunks) {
      fail(label,
           "manifest.json says " + table.database + "." + table.table + " has "
               + std::to_string(table.rows) + " rows in " + std::to_string(table.chunks)
               + " members, its members hold " + std::to_string(totals.first) + " in "
               + std::to_string(totals.second));
    }
  }
  for (const auto& database : info.databases) {
    for (const auto& table : database.tables) {
      if (!records.contains({database.name, table})) {
        fail(label,
             "table " + database.name + "." + table
                 + " is listed in backup.json but has no record in manifest.json");
      }
    }
  }
}

} // namespace pbk::archive
