// SPDX-License-Identifier: MIT
// What `create` and `schema check` must know of a restore on the server they read: one that
// swapped and awaits migrations (or `finish`) leaves the live databases in a state that is
// not Postal's own, so `create` refuses to archive it as if it were (unless --force) and
// `schema check` does not call it healthy; a restore that swapped the tables while a backup
// read them is named as the cause of the backup's failure, not a Postal upgrade.
#pragma once

#include "postal/postal_databases.hpp"

#include "core/db/connection.hpp"
#include "core/db/connection_options.hpp"
#include "core/reporter.hpp"

#include <optional>
#include <string>

namespace pbk::cli {

class RestoreWatch {
public:
  // Refuses (exit 5) while a restore awaits migrations on the server, unless `force` (then a
  // warning); remembers the latest restore, to notice one that starts during the backup.
  RestoreWatch(const core::db::ConnectionOptions& server,
               const postal::DatabaseSelection& install,
               bool force,
               core::Reporter& reporter);

  // Called with the backup's failure: throws an error naming a restore that started since
  // (the failure's cause: its swap replaced the tables being read); returns otherwise.
  void name_restore_behind_failure() const;

private:
  core::db::ConnectionOptions m_server;
  postal::DatabaseSelection m_install;
  std::optional<std::string> m_latest_before;
};

// "restore <id> of <archive> awaits migrations …" when one does, for `schema check`.
[[nodiscard]] std::optional<std::string>
unfinished_restore_note(core::db::Connection& server, const postal::DatabaseSelection& install);

} // namespace pbk::cli
