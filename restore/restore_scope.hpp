// SPDX-License-Identifier: MIT
// What a restore covers and what it restores into: the archive's databases (all, or those of
// --databases), their live names on the target (the main database and `<prefix>-server-<id>`,
// so an archive can be restored under other names), and the target release: named by the
// operator, else read from the target's main database, else (a server without Postal's main
// database: disaster recovery) the backup's own release.
#pragma once

#include "archive/manifest.hpp"
#include "postal/plan.hpp"
#include "postal/release_catalog.hpp"

#include "core/db/connection.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

[[nodiscard]] std::string live_name(const archive::DatabaseInfo& database,
                                    const std::string& main_db,
                                    const std::string& message_db_prefix);

// backup.json reduced to `only` (names as in the archive); usage error for a name it lacks.
[[nodiscard]] archive::BackupInfo select_databases(const archive::BackupInfo& info,
                                                   const std::vector<std::string>& only);

// The release of the backup's own schema levels (what a restore into an empty server targets,
// and what a drill checks against).
[[nodiscard]] postal::MigrationTarget own_level_target(const archive::BackupInfo& info,
                                                       const postal::ReleaseCatalog& catalog);

[[nodiscard]] postal::MigrationTarget
resolve_target(const std::optional<postal::MigrationTarget>& named,
               const postal::ReleaseCatalog& catalog,
               const archive::BackupInfo& info,
               core::db::Connection& connection,
               const std::string& main_db);

} // namespace pbk::restore
