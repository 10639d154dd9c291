// SPDX-License-Identifier: MIT
// What a restore of a backup into a target Postal release requires, decided from backup.json
// alone (DESIGN §4): the target's migrations the backup lacks (main, and per message DB) must
// be run after the restore; a backup newer than the target, or carrying migrations the target
// does not know, is refused. The plan never guesses a migration: it is the set difference.
#pragma once

#include "archive/manifest.hpp"
#include "postal/release_catalog.hpp"

#include <map>
#include <string>
#include <vector>

namespace pbk::postal {

enum class Verdict { ready, migrations_required, refused };

struct MigrationTarget {
  std::string version; // may be empty when read from a server
  std::string main_schema_level;
  std::vector<std::string> main_migrations; // ascending
  std::vector<int> message_db_migrations;   // ascending
  Era era = Era::v3;
  std::string source; // "--target-version", "--postal-app DIR", "server ..." (for messages)
};

struct Plan {
  Verdict verdict = Verdict::ready;
  std::string reason; // refused only
  std::vector<MainMigration> main_missing;
  std::map<std::string, std::vector<int>> message_missing; // message DBs that lack some
  std::vector<std::string> commands; // what to run, in order, for the target's era
  std::vector<std::string> warnings;
};

[[nodiscard]] MigrationTarget target_from_release(const Release& release);

// `live_names` maps a database of the archive to the name it is restored under, for the
// commands that name a database (a restore into other names prints the names it made);
// unmapped databases are named as the archive names them.
[[nodiscard]] Plan make_plan(const archive::BackupInfo& backup,
                             const MigrationTarget& target,
                             const ReleaseCatalog& catalog,
                             const std::map<std::string, std::string>& live_names = {});
[[nodiscard]] int exit_code(Verdict verdict); // 0, 3, 5
[[nodiscard]] const char* to_string(Verdict verdict);

} // namespace pbk::postal
