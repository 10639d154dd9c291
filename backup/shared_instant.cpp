// SPDX-License-Identifier: MIT
#include "backup/shared_instant.hpp"

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"

namespace pbk::backup {
namespace {

using core::db::k_lock_wait_timeout;
using core::db::k_syntax_error;                                     // MySQL, or MariaDB before 10.4
constexpr unsigned k_access_denied = core::db::k_missing_privilege; // needs RELOAD

std::string reason_for(const core::db::DbError& e) {
  switch (e.mysql_errno()) {
  case k_access_denied:
    return "the backup user lacks the RELOAD privilege (BACKUP STAGE)";
  case k_syntax_error:
    return "the server has no BACKUP STAGE (MariaDB 10.4 or later has)";
  case k_lock_wait_timeout:
    return "the server's backup lock was not granted within " + std::to_string(k_stage_wait_seconds)
           + " s (a long DDL statement is running)";
  default:
    return std::string("BACKUP STAGE failed: ") + e.what();
  }
}

} // namespace

std::optional<std::string> begin_at_one_instant(const core::db::ConnectionOptions& options,
                                                const std::vector<Snapshot*>& snapshots) {
  auto stage_options = options;
  stage_options.role = "database server";
  auto stage = core::db::Connection::connect(stage_options);
  try {
    stage.execute("SET SESSION lock_wait_timeout = " + std::to_string(k_stage_wait_seconds));
    stage.execute("BACKUP STAGE START");
  } catch (const core::db::DbError& e) {
    return reason_for(e);
  }
  std::optional<std::string> failure;
  try {
    stage.execute("BACKUP STAGE BLOCK_COMMIT");
    for (auto* snapshot : snapshots) {
      snapshot->begin();
    }
  } catch (const core::db::DbError& e) {
    failure = reason_for(e);
  }
  // Closing the connection would end the stage too; ending it explicitly says so at once.
  stage.execute("BACKUP STAGE END");
  if (failure) {
    for (auto* snapshot : snapshots) {
      snapshot->abandon();
    }
  }
  return failure;
}

} // namespace pbk::backup
