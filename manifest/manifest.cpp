// SPDX-License-Identifier: MIT
#include "manifest/manifest.hpp"

namespace pbk::manifest {

const char* to_string(DatabaseRole role) {
  return role == DatabaseRole::main ? "main" : "message";
}

const char* to_string(VersionSource source) {
  switch (source) {
  case VersionSource::flag:
    return "flag";
  case VersionSource::postal_app:
    return "postal_app";
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

} // namespace pbk::manifest
