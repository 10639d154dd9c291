// SPDX-License-Identifier: MIT
#include "postal/plan.hpp"

#include "postal/unconverted_message_db.hpp"

#include "core/error.hpp"
#include "core/version_order.hpp"

#include <algorithm>
#include <set>

namespace pbk::postal {
namespace {

// From this day (Postal commit 752558f) `postal upgrade` also migrates every message DB;
// before it, 1.x ran `rake db:migrate` only and message DBs needed their own rake task.
constexpr std::string_view k_message_migrations_in_upgrade = "2020-10-01";
// Under 1.x master of 2020-07-17 … 2020-10-01 message migration 19 was another one
// (increase_links_url_size); the last main level of that time.
constexpr std::string_view k_last_level_of_legacy_19 = "20200717083943";
// Today's numbering: 19 converts to utf8mb4, 20 is increase_links_url_size.
constexpr int k_utf8mb4_conversion = 19;
constexpr int k_renumbered_links_url = 20;

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

std::set<int> message_numbers(const archive::DatabaseInfo& database) {
  std::set<int> numbers;
  for (const auto& text : database.migrations) {
    numbers.insert(core::message_migration_number(text, "backup.json: database " + database.name));
  }
  return numbers;
}

std::string describe_target(const MigrationTarget& target) {
  return target.version.empty() ? "the target (main level " + target.main_schema_level + ")"
                                : "the target release " + target.version;
}

// The oldest release whose main migrations include all of `needed`, as advice for refusals.
std::string release_having(const ReleaseCatalog& catalog, const std::vector<std::string>& needed) {
  for (const auto& release : catalog.releases()) {
    std::set<std::string> has;
    for (const auto& m : release.main_migrations) {
      has.insert(m.version);
    }
    if (!release.is_1x && std::all_of(needed.begin(), needed.end(), [&](const auto& v) {
          return has.contains(v);
        })) {
      return release.version;
    }
  }
  return {};
}

void check_main(const archive::BackupInfo& backup,
                const MigrationTarget& target,
                const ReleaseCatalog& catalog,
                Plan& plan,
                std::vector<std::string>& refusals) {
  const auto& level = backup.postal.main_schema_level;
  const std::set<std::string> target_set(target.main_migrations.begin(),
                                         target.main_migrations.end());
  const std::set<std::string> backup_set(backup.postal.main_migrations.begin(),
                                         backup.postal.main_migrations.end());
  if (core::compare_levels(level, target.main_schema_level) > 0) {
    const auto having = release_having(catalog, backup.postal.main_migrations);
    refusals.push_back(
        "downgrade: the backup's main schema level " + level + " is newer than "
        + describe_target(target)
        + (target.version.empty() ? "" : " (main level " + target.main_schema_level + ")")
        + "; restore into " + (having.empty() ? "a release at main level " + level : having)
        + " or newer");
  } else {
    std::vector<std::string> unknown;
    for (const auto& version : backup.postal.main_migrations) {
      if (!target_set.contains(version)) {
        unknown.push_back(version);
      }
    }
    if (!unknown.empty()) {
      refusals.push_back("backup carries main migrations the target release does not know: "
                         + join(unknown)
                         + " (a newer release or a fork); restore into a release that has them");
    }
  }
  for (const auto& version : target.main_migrations) {
    if (!backup_set.contains(version)) {
      plan.main_missing.push_back({version, catalog.main_migration_name(version)});
    }
  }
}

void check_message_db(const archive::DatabaseInfo& database,
                      const MigrationTarget& target,
                      Plan& plan,
                      std::vector<std::string>& refusals) {
  const std::set<int> backup_set = message_numbers(database);
  const std::set<int> target_set(target.message_db_migrations.begin(),
                                 target.message_db_migrations.end());
  const int backup_level = backup_set.empty() ? 0 : *backup_set.rbegin();
  const int target_level = target_set.empty() ? 0 : *target_set.rbegin();
  std::vector<std::string> unknown;
  for (int number : backup_set) {
    if (!target_set.contains(number)) {
      unknown.push_back(std::to_string(number));
    }
  }
  if (backup_level > target_level) {
    refusals.push_back("downgrade: message database " + database.name + " is at level "
                       + std::to_string(backup_level) + ", newer than " + describe_target(target)
                       + "'s " + std::to_string(target_level));
  } else if (!unknown.empty()) {
    refusals.push_back("backup carries message-DB migrations the target release does not know "
                       "in "
                       + database.name + ": " + join(unknown)
                       + " (a newer release or a fork); restore into a release that has them");
  }
  std::vector<int> missing;
  std::set_difference(target_set.begin(),
                      target_set.end(),
                      backup_set.begin(),
                      backup_set.end(),
                      std::back_inserter(missing));
  if (!missing.empty()) {
    plan.message_missing[database.name] = missing;
  }
}

bool has_main_database(const archive::BackupInfo& backup) {
  return std::any_of(backup.databases.begin(), backup.databases.end(), [](const auto& database) {
    return database.role == archive::DatabaseRole::main;
  });
}

// Message DBs of the 2020 renumbering that a target of today's numbering (it has 20) needs
// converted: Postal will not do it, so 19 is missing although it is recorded.
std::set<std::string> unconverted_databases(const archive::BackupInfo& backup,
                                            const MigrationTarget& target) {
  std::set<std::string> names;
  const auto& wanted = target.message_db_migrations;
  if (std::find(wanted.begin(), wanted.end(), k_renumbered_links_url) == wanted.end()) {
    return names;
  }
  for (const auto& database : backup.databases) {
    if (unconverted_legacy_19_schema(database)) {
      names.insert(database.name);
    }
  }
  return names;
}

void add_unconverted(const archive::BackupInfo& backup,
                     const std::set<std::string>& unconverted,
                     Plan& plan) {
  for (const auto& database : backup.databases) {
    if (!unconverted.contains(database.name)) {
      continue;
    }
    auto& missing = plan.message_missing[database.name];
    if (std::find(missing.begin(), missing.end(), k_utf8mb4_conversion) == missing.end()) {
      missing.insert(std::upper_bound(missing.begin(), missing.end(), k_utf8mb4_conversion),
                     k_utf8mb4_conversion);
    }
    plan.warnings.push_back(unconverted_warning(database));
  }
}

void add_backup_warnings(const archive::BackupInfo& backup,
                         const ReleaseCatalog& catalog,
                         const std::set<std::string>& unconverted,
                         Plan& plan) {
  const auto& postal = backup.postal;
  const bool has_main = has_main_database(backup);
  if (!has_main) {
    plan.warnings.push_back("the backup holds no main database (made with --databases), so "
                            "its main migrations are not compared with the target's; the main "
                            "database after the restore is whatever the target already has");
  }
  if (!postal.version) {
    plan.warnings.push_back("the backup's Postal version is unknown; judged by its schema level");
  } else if (const Release* release = catalog.find(*postal.version); release == nullptr) {
    plan.warnings.push_back("the backup's Postal version " + *postal.version
                            + " is not in the catalog; judged by its schema level");
  } else if (has_main && release->main_schema_level != postal.main_schema_level) {
    plan.warnings.push_back("the backup names Postal " + *postal.version + " (main level "
                            + release->main_schema_level + ") but its main database is at "
                            + postal.main_schema_level + "; judged by its schema level");
  }
  for (const auto& database : backup.databases) {
    // The level is only a hint (a backup's schema hash proves it); unconverted DBs get more.
    if (database.role == archive::DatabaseRole::message && database.schema_level == "19" && has_main
        && core::compare_levels(postal.main_schema_level, k_last_level_of_legacy_19) <= 0
        && !unconverted.contains(database.name)) {
      plan.warnings.push_back(database.name
                              + " is at message level 19 under a 1.x main level: on 1.x master of "
                                "2020-07-17 … 2020-10-01 migration 19 was increase_links_url_size, "
                                "and Postal will then run only 20, so the database keeps its utf8 "
                                "tables");
    }
  }
}

bool upgrade_migrates_message_dbs(const MigrationTarget& target, const ReleaseCatalog& catalog) {
  if (target.era != Era::v1) {
    return true;
  }
  const Release* release = catalog.find(target.version);
  if (release == nullptr) {
    release = catalog.newest_at_main_level(target.main_schema_level);
  }
  return release != nullptr && release->date >= k_message_migrations_in_upgrade;
}

// True when Postal itself has message migrations to run: any missing but an unconverted DB's 19.
bool postal_migrates_message_dbs(const Plan& plan, const std::set<std::string>& unconverted) {
  return std::any_of(plan.message_missing.begin(), plan.message_missing.end(), [&](const auto& db) {
    return !unconverted.contains(db.first) || db.second.size() > 1
           || db.second.front() != k_utf8mb4_conversion;
  });
}

void add_commands(const MigrationTarget& target,
                  const ReleaseCatalog& catalog,
                  const std::set<std::string>& unconverted,
                  const std::map<std::string, std::string>& live_names,
                  Plan& plan) {
  // Postal's own order, 19 before 20; the conversion's SQL also finishes when run after.
  for (const auto& name : unconverted) {
    const auto live = live_names.find(name);
    plan.commands.push_back(
        utf8mb4_conversion_by_hand(live == live_names.end() ? name : live->second));
  }
  const bool message_dbs = postal_migrates_message_dbs(plan, unconverted);
  if (upgrade_migrates_message_dbs(target, catalog)) {
    if (!plan.main_missing.empty() || message_dbs) {
      plan.commands.push_back("postal upgrade");
    }
  } else {
    if (!plan.main_missing.empty()) {
      plan.commands.push_back("postal upgrade");
    }
    if (message_dbs) {
      plan.commands.push_back("rake postal:migrate_message_databases");
      plan.warnings.push_back("Postal 1.x before 2020-10-01: postal upgrade migrates the main "
                              "database only; run rake postal:migrate_message_databases in "
                              "Postal's app directory for the message databases");
    }
  }
  plan.commands.push_back("postal-backup finish");
}

} // namespace

MigrationTarget target_from_release(const Release& release) {
  MigrationTarget target;
  target.version = release.version;
  target.main_schema_level = release.main_schema_level;
  for (const auto& migration : release.main_migrations) {
    target.main_migrations.push_back(migration.version);
  }
  for (const auto& migration : release.message_db_migrations) {
    target.message_db_migrations.push_back(migration.number);
  }
  target.era = release.era();
  target.source = "release " + release.version;
  return target;
}

Plan make_plan(const archive::BackupInfo& backup,
               const MigrationTarget& target,
               const ReleaseCatalog& catalog,
               const std::map<std::string, std::string>& live_names) {
  Plan plan;
  std::vector<std::string> refusals;
  const auto unconverted = unconverted_databases(backup, target);
  add_backup_warnings(backup, catalog, unconverted, plan);
  if (has_main_database(backup)) {
    check_main(backup, target, catalog, plan, refusals);
  }
  std::vector<std::string> message_refusals;
  for (const auto& database : backup.databases) {
    if (database.role == archive::DatabaseRole::message) {
      check_message_db(database, target, plan, message_refusals);
    }
  }
  add_unconverted(backup, unconverted, plan);
  if (!message_refusals.empty()) {
    // Message DBs of one install share their level: one example says it for all.
    const auto others = message_refusals.size() - 1;
    refusals.push_back(message_refusals.front()
                       + (others == 0
                              ? ""
                              : " (and " + std::to_string(others) + " other message database"
                                    + (others == 1 ? "" : "s") + ")"));
  }
  if (!refusals.empty()) {
    plan.verdict = Verdict::refused;
    plan.reason = refusals.front();
    for (std::size_t i = 1; i < refusals.size(); ++i) {
      plan.reason += "; " + refusals[i];
    }
  } else if (!plan.main_missing.empty() || !plan.message_missing.empty()) {
    plan.verdict = Verdict::migrations_required;
    add_commands(target, catalog, unconverted, live_names, plan);
  }
  return plan;
}

const char* to_string(Verdict verdict) {
  switch (verdict) {
  case Verdict::ready:
    return "ready";
  case Verdict::migrations_required:
    return "migrations_required";
  case Verdict::refused:
    break;
  }
  return "refused";
}

} // namespace pbk::postal
