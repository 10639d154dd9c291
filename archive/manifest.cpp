// SPDX-License-Identifier: MIT
#include "archive/manifest.hpp"

#include "core/error.hpp"
#include "core/printable.hpp"

#include <set>

namespace pbk::archive {
namespace {

[[noreturn]] void refuse_duplicate(const std::string& what) {
  throw core::IntegrityError(std::string(k_backup_member) + " lists " + what
                                 + ": two entries would be restored into one database",
                             {"the archive is damaged or was not written by postal-backup"});
}

} // namespace

void check_distinct_databases(const std::vector<DatabaseInfo>& databases) {
  std::set<std::string> names;
  std::set<int> server_ids;
  bool main_seen = false;
  for (const auto& database : databases) {
    const auto name = "database " + core::printable(database.name);
    if (!names.insert(database.name).second) {
      refuse_duplicate(name + " twice");
    }
    if (database.role == DatabaseRole::main) {
      if (main_seen) {
        refuse_duplicate("a second main database (" + name + ")");
      }
      main_seen = true;
    } else if (!database.server_id) {
      throw core::IntegrityError(std::string(k_backup_member) + ": message " + name
                                     + " has no server_id",
                                 {"the archive is damaged or was not written by postal-backup"});
    } else if (!server_ids.insert(*database.server_id).second) {
      refuse_duplicate("server id " + std::to_string(*database.server_id) + " twice (" + name
                       + ")");
    }
  }
}

const char* to_string(DatabaseRole role) {
  return role == DatabaseRole::main ? "main" : "message";
}

const char* to_string(VersionSource source) {
  switch (source) {
  case VersionSource::flag:
    return "flag";
  case VersionSource::postal_app:
    return "postal_app";
  case VersionSource::postal_compose:
    return "postal_compose";
  case VersionSource::schema_level:
    return "schema_level";
  }
  return "schema_level";
}

const char* to_string(MemberKind kind) {
  switch (kind) {
  case MemberKind::backup_info:
    return "backup_info";
  case MemberKind::schema:
    return "schema";
  case MemberKind::rows:
    return "rows";
  case MemberKind::config:
    return "config";
  }
  return "rows";
}

const char* to_string(TableOutcome outcome) {
  switch (outcome) {
  case TableOutcome::complete:
    return "complete";
  case TableOutcome::dropped_during_backup:
    return "dropped_during_backup";
  case TableOutcome::created_after_snapshot:
    return "created_after_snapshot";
  }
  return "complete";
}

} // namespace pbk::archive
