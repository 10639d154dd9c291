// SPDX-License-Identifier: MIT
#include "cli/commands/unfinished_restore.hpp"

#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "restore/restore_control.hpp"

#include <algorithm>

namespace pbk::cli {
namespace {

core::db::Connection connect(core::db::ConnectionOptions server) {
  server.role = "main_db";
  return core::db::Connection::connect(server);
}

std::string describe(const restore::RestoreRecord& record) {
  return "restore " + record.id + " of " + record.archive + " (started " + record.started_at
         + " UTC from " + record.host + ")";
}

bool touches(const std::optional<restore::RestoreRecord>& record,
             const postal::DatabaseSelection& install) {
  if (!record) {
    return false;
  }
  return std::any_of(record->databases.begin(), record->databases.end(), [&](const auto& d) {
    return d.live == install.main_db || d.live.starts_with(install.message_db_prefix + "-server-");
  });
}

} // namespace

RestoreWatch::RestoreWatch(const core::db::ConnectionOptions& server,
                           const postal::DatabaseSelection& install,
                           bool force,
                           core::Reporter& reporter)
    : m_server(server),
      m_install(install) {
  auto connection = connect(server);
  if (const auto open = restore::swapped_unfinished_restore(connection); touches(open, install)) {
    const std::string what = describe(*open)
                             + " awaits migrations on this server: its databases are not yet "
                               "in a state Postal runs on";
    if (!force) {
      throw core::Error(core::ExitCode::refused,
                        what + "; a backup now would archive that half state",
                        {"finish the restore or roll it back first (`postal-backup status` "
                         "shows it), or add --force to back up this state anyway"});
    }
    reporter.warn(what + "; backing it up as it is (--force)");
  }
  if (const auto latest = restore::latest_restore(connection)) {
    m_latest_before = latest->id;
  }
}

void RestoreWatch::name_restore_behind_failure() const {
  try {
    auto connection = connect(m_server);
    const auto latest = restore::latest_restore(connection);
    if (!touches(latest, m_install) || latest->id == m_latest_before) {
      return;
    }
    throw core::Error(core::ExitCode::runtime,
                      describe(*latest)
                          + " replaced the databases while the backup read them; no archive "
                            "was written",
                      {"run the backup again once the restore is finished (`postal-backup "
                       "status` shows it)"});
  } catch (const core::db::DbError&) {
    // The backup's own failure stands when the journal cannot be read now.
  }
}

std::optional<std::string> unfinished_restore_note(core::db::Connection& server,
                                                   const postal::DatabaseSelection& install) {
  const auto open = restore::swapped_unfinished_restore(server);
  if (!touches(open, install)) {
    return std::nullopt;
  }
  return describe(*open)
         + " awaits migrations: not healthy until it is finished "
           "(`postal-backup status` shows what is missing)";
}

} // namespace pbk::cli
