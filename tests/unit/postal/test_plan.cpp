// SPDX-License-Identifier: MIT
#include "postal/expected_schema.hpp"
#include "postal/plan.hpp"

#include "core/hash/sha256.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <string>

using namespace pbk::archive;
using namespace pbk::postal;

namespace {

const ReleaseCatalog& catalog() {
  static const ReleaseCatalog built_in = ReleaseCatalog::built_in();
  return built_in;
}

// What `create` records for an install of `release` with two mail servers.
BackupInfo backup_of(const Release& release, int message_dbs = 2) {
  BackupInfo backup;
  backup.postal.version = release.version;
  backup.postal.version_source = VersionSource::flag;
  backup.postal.main_schema_level = release.main_schema_level;
  for (const auto& migration : release.main_migrations) {
    backup.postal.main_migrations.push_back(migration.version);
  }
  DatabaseInfo main;
  main.name = "postal";
  main.schema_level = release.main_schema_level;
  main.migrations = backup.postal.main_migrations;
  backup.databases.push_back(main);
  std::set<int> numbers; // `migrations.version` is a primary key: no duplicates
  for (const auto& migration : release.message_db_migrations) {
    numbers.insert(migration.number);
  }
  for (int id = 1; id <= message_dbs; ++id) {
    DatabaseInfo message;
    message.name = "postal-server-" + std::to_string(id);
    message.role = DatabaseRole::message;
    message.server_id = id;
    for (int number : numbers) {
      message.migrations.push_back(std::to_string(number));
    }
    message.schema_level = std::to_string(*numbers.rbegin());
    backup.databases.push_back(message);
  }
  return backup;
}

template <class T>
std::vector<T> difference(const std::vector<T>& a, const std::vector<T>& b) {
  const std::set<T> sa(a.begin(), a.end());
  const std::set<T> sb(b.begin(), b.end());
  std::vector<T> out;
  std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(out));
  return out;
}

std::vector<int> message_numbers(const Release& release) {
  std::vector<int> numbers;
  for (const auto& migration : release.message_db_migrations) {
    numbers.push_back(migration.number);
  }
  return numbers;
}

std::vector<std::string> versions(const std::vector<MainMigration>& migrations) {
  std::vector<std::string> out;
  for (const auto& migration : migrations) {
    out.push_back(migration.version);
  }
  return out;
}

Plan plan_between(const std::string& backup_version, const std::string& target_version) {
  return make_plan(backup_of(*catalog().find(backup_version)),
                   target_from_release(*catalog().find(target_version)),
                   catalog());
}

// The schema hash `create` records for a message DB built from `schema_file`.
std::string hash_of(const std::string& schema_file) {
  return pbk::core::hash::sha256_hex(expected_canonical(schema_file).value());
}

bool has_warning(const Plan& plan, const std::string& text) {
  return std::any_of(plan.warnings.begin(), plan.warnings.end(), [&](const std::string& w) {
    return w.find(text) != std::string::npos;
  });
}

} // namespace

BOOST_AUTO_TEST_SUITE(PlanTest)

// Lost if it failed: for some pair of releases a restore would skip a migration the target
// needs (the credentials.uuid failure), demand one it does not, or load a newer backup into
// an older release.
BOOST_AUTO_TEST_CASE(every_release_pair_is_the_set_difference) {
  for (const auto& from : catalog().releases()) {
    for (const auto& to : catalog().releases()) {
      BOOST_TEST_CONTEXT(from.version << " -> " << to.version) {
        const Plan plan = make_plan(backup_of(from), target_from_release(to), catalog());
        const auto main_missing =
            difference(versions(to.main_migrations), versions(from.main_migrations));
        const auto main_extra =
            difference(versions(from.main_migrations), versions(to.main_migrations));
        const auto message_missing = difference(message_numbers(to), message_numbers(from));
        const auto message_extra = difference(message_numbers(from), message_numbers(to));
        const bool refused = !main_extra.empty() || !message_extra.empty();
        BOOST_TEST((plan.verdict == Verdict::refused) == refused);
        BOOST_TEST(versions(plan.main_missing) == main_missing);
        if (message_missing.empty()) {
          BOOST_TEST(plan.message_missing.empty());
        } else {
          BOOST_TEST(plan.message_missing.size() == 2u);
          BOOST_TEST(plan.message_missing.at("postal-server-1") == message_missing);
          BOOST_TEST(plan.message_missing.at("postal-server-2") == message_missing);
        }
        if (!refused) {
          const bool ready = main_missing.empty() && message_missing.empty();
          BOOST_TEST((plan.verdict == (ready ? Verdict::ready : Verdict::migrations_required)));
          BOOST_TEST(plan.commands.empty() == ready);
        }
        if (pbk::core::compare_levels(from.main_schema_level, to.main_schema_level) > 0) {
          BOOST_TEST(plan.reason.find("downgrade") != std::string::npos, plan.reason);
        }
      }
    }
  }
}

// Lost if it failed: the very failure this tool exists for (a 1.x dump restored into 2.1.4
// without credentials.uuid) would not be spelled out.
BOOST_AUTO_TEST_CASE(one_x_into_2_1_4_needs_uuid_priority_and_message_19_20) {
  const Plan plan = plan_between("1.x@20180216114344", "2.1.4");
  BOOST_TEST((plan.verdict == Verdict::migrations_required));
  BOOST_TEST(exit_code(plan.verdict) == 3);
  BOOST_REQUIRE(plan.main_missing.size() == 2u);
  BOOST_TEST(plan.main_missing[0].version == "20200717083943");
  BOOST_TEST(plan.main_missing[0].name == "add_uuid_to_credentials");
  BOOST_TEST(plan.main_missing[1].version == "20210727210551");
  BOOST_TEST(plan.main_missing[1].name == "add_priority_to_ip_addresses");
  const std::vector<int> nineteen_twenty{19, 20};
  BOOST_TEST(plan.message_missing.size() == 2u);
  BOOST_TEST(plan.message_missing.at("postal-server-1") == nineteen_twenty);
  BOOST_TEST(plan.message_missing.at("postal-server-2") == nineteen_twenty);
  const std::vector<std::string> commands{"postal upgrade", "postal-backup finish"};
  BOOST_TEST(plan.commands == commands);
  BOOST_TEST(plan.reason.empty());
}

// Lost if it failed: a 3.x backup could be loaded into 2.1.4, whose code does not know its
// tables and columns.
BOOST_AUTO_TEST_CASE(newer_backup_is_refused_as_downgrade) {
  const Plan plan = plan_between("3.3.6", "2.1.4");
  BOOST_TEST((plan.verdict == Verdict::refused));
  BOOST_TEST(exit_code(plan.verdict) == 5);
  BOOST_TEST(plan.reason.find("downgrade") != std::string::npos, plan.reason);
  BOOST_TEST(plan.reason.find("3.2.0 or newer") != std::string::npos, plan.reason);
  BOOST_TEST(plan.commands.empty());
  BOOST_TEST((plan_between("2.1.4", "2.2.2").verdict == Verdict::ready));
  BOOST_TEST(exit_code(Verdict::ready) == 0);
}

// Lost if it failed: a fork's (or an unknown release's) migration would be silently
// carried into a release that has never heard of it.
BOOST_AUTO_TEST_CASE(unknown_migration_in_backup_is_refused) {
  auto backup = backup_of(*catalog().find("2.1.4"));
  backup.postal.main_migrations.insert(backup.postal.main_migrations.end() - 1, "20220101000000");
  const Plan plan = make_plan(backup, target_from_release(*catalog().find("3.3.6")), catalog());
  BOOST_TEST((plan.verdict == Verdict::refused));
  BOOST_TEST(plan.reason
             == "backup carries main migrations the target release does not know: "
                "20220101000000 (a newer release or a fork); restore into a release that has "
                "them");

  auto message_fork = backup_of(*catalog().find("3.3.6"));
  message_fork.databases.back().migrations.push_back("21");
  message_fork.databases.back().schema_level = "21";
  const Plan refused =
      make_plan(message_fork, target_from_release(*catalog().find("3.3.6")), catalog());
  BOOST_TEST((refused.verdict == Verdict::refused));
  BOOST_TEST(refused.reason.find("postal-server-2") != std::string::npos, refused.reason);
}

// Lost if it failed: a Postal release newer than the binary, added with --catalog, would
// not make a current backup ask for its new migration.
BOOST_AUTO_TEST_CASE(catalog_file_release_adds_exactly_its_migration) {
  ReleaseCatalog extended = ReleaseCatalog::built_in();
  std::string json = R"([{"version": "3.4.0", "main_migrations": [)";
  for (const auto& migration : extended.find("3.3.6")->main_migrations) {
    json += R"({"version": ")" + migration.version + R"("},)";
  }
  json += R"({"version": "20260501000000", "name": "add_made_up_column"}],
              "message_db_migrations": [)";
  for (int number = 1; number <= 20; ++number) {
    json += R"({"number": )" + std::to_string(number) + (number < 20 ? "}," : "}]}]");
  }
  extended.merge(json, "made-up.json");
  const Plan plan = make_plan(
      backup_of(*extended.find("3.3.6")), target_from_release(*extended.find("3.4.0")), extended);
  BOOST_TEST((plan.verdict == Verdict::migrations_required));
  BOOST_REQUIRE(plan.main_missing.size() == 1u);
  BOOST_TEST(plan.main_missing[0].version == "20260501000000");
  BOOST_TEST(plan.main_missing[0].name == "add_made_up_column");
  BOOST_TEST(plan.message_missing.empty());
}

// Lost if it failed: on a 1.x target from before 2020-10-01 the operator would run only
// `postal upgrade`, which there never touched the message databases.
BOOST_AUTO_TEST_CASE(early_1x_targets_migrate_message_dbs_separately) {
  const Plan plan = plan_between("1.x@20180216114344", "1.x@20180216114344+mdb19legacy");
  const std::vector<std::string> commands{"rake postal:migrate_message_databases",
                                          "postal-backup finish"};
  BOOST_TEST(plan.commands == commands);
  const Plan main_only = plan_between("1.x@20170428153353", "1.x@20180216114344");
  const std::vector<std::string> upgrade{"postal upgrade", "postal-backup finish"};
  BOOST_TEST(main_only.commands == upgrade);
  BOOST_TEST(plan_between("1.x@20180216114344", "1.x@20200717083943").commands == upgrade);
}

// Lost if it failed: a plan judged by schema level alone would look as certain as one that
// knew the release, and a legacy-19 message DB would lose its utf8mb4 conversion unnoticed.
BOOST_AUTO_TEST_CASE(warnings_say_what_the_plan_is_based_on) {
  auto backup = backup_of(*catalog().find("1.x@20180216114344"));
  backup.postal.version.reset();
  backup.postal.version_source = VersionSource::schema_level;
  const auto target = target_from_release(*catalog().find("2.1.4"));
  const Plan plan = make_plan(backup, target, catalog());
  BOOST_REQUIRE(plan.warnings.size() == 1u);
  BOOST_TEST(plan.warnings[0]
             == "the backup's Postal version is unknown; judged by its schema level");

  const Plan legacy = plan_between("1.x@20200717083943+mdb19legacy", "2.1.4");
  const auto legacy_warnings =
      std::count_if(legacy.warnings.begin(), legacy.warnings.end(), [](const std::string& warning) {
        return warning.find("increase_links_url_size") != std::string::npos;
      });
  BOOST_TEST(legacy_warnings == 2);
}

// Lost if it failed: a message DB that went through the 2020 renumbering (recorded 20, tables
// still utf8) would be restored as ready and never converted to utf8mb4, since Postal runs
// only migrations above the recorded level.
BOOST_AUTO_TEST_CASE(renumbered_message_db_needs_19_by_hand) {
  auto backup = backup_of(*catalog().find("1.x@20200717083943"));
  backup.databases[1].schema_hash = hash_of("schema/message_db/20-from-19-legacy.sql");
  backup.databases[2].schema_hash = hash_of("schema/message_db/20.sql");
  const Plan same_level =
      make_plan(backup, target_from_release(*catalog().find("1.x@20200717083943")), catalog());
  BOOST_TEST((same_level.verdict == Verdict::migrations_required));
  BOOST_TEST(same_level.main_missing.empty());
  BOOST_TEST(same_level.message_missing.size() == 1u);
  BOOST_TEST(same_level.message_missing.at("postal-server-1") == std::vector<int>{19});
  BOOST_REQUIRE(same_level.commands.size() == 2u); // Postal itself has nothing to run
  BOOST_TEST(same_level.commands[0].find("by hand in postal-server-1 (as the current database): "
                                         "ALTER DATABASE CHARACTER SET utf8mb4")
                 != std::string::npos,
             same_level.commands[0]);
  BOOST_TEST(same_level.commands[1] == "postal-backup finish");
  BOOST_TEST(has_warning(same_level,
                         "postal-server-1 has the structure of "
                         "schema/message_db/20-from-19-legacy.sql"));
  BOOST_TEST(has_warning(same_level,
                         "Postal will not run migration 19 because the recorded level (20) "
                         "already counts it as done"));

  const Plan into_2_1_4 =
      make_plan(backup, target_from_release(*catalog().find("2.1.4")), catalog());
  BOOST_TEST((into_2_1_4.verdict == Verdict::migrations_required));
  BOOST_TEST(into_2_1_4.message_missing.at("postal-server-1") == std::vector<int>{19});
  // Postal's order, 19 before 20 (the conversion's SQL also finishes when run after).
  BOOST_REQUIRE(into_2_1_4.commands.size() == 3u);
  BOOST_TEST(into_2_1_4.commands[0].find("by hand in postal-server-1") != std::string::npos);
  BOOST_TEST(into_2_1_4.commands[1] == "postal upgrade");
  BOOST_TEST(into_2_1_4.commands[2] == "postal-backup finish");
}

// Lost if it failed: a 1.x message DB at the legacy 19 restored into 2.x would get only
// Postal's migration 20 and keep its utf8 tables; into its own 1.x period it would be refused
// or asked to migrate although it is exactly right there.
BOOST_AUTO_TEST_CASE(legacy_19_message_db_needs_19_by_hand_after_the_renumbering) {
  auto backup = backup_of(*catalog().find("1.x@20200717083943+mdb19legacy"), 1);
  backup.databases[1].schema_hash = hash_of("schema/message_db/19-legacy.sql");
  const Plan plan = make_plan(backup, target_from_release(*catalog().find("2.1.4")), catalog());
  BOOST_TEST((plan.verdict == Verdict::migrations_required));
  BOOST_TEST(plan.message_missing.at("postal-server-1") == (std::vector<int>{19, 20}));
  BOOST_TEST(plan.commands.front().find("by hand in postal-server-1") != std::string::npos);
  BOOST_TEST(plan.commands.at(1) == "postal upgrade");
  BOOST_TEST(has_warning(plan, "recorded level (19) already counts it as done"));
  BOOST_TEST(!has_warning(plan, "is at message level 19 under a 1.x main level"));

  const Plan own_period = make_plan(
      backup, target_from_release(*catalog().find("1.x@20200717083943+mdb19legacy")), catalog());
  BOOST_TEST((own_period.verdict == Verdict::ready));
}

// Lost if it failed: a backup of message databases only (`create --databases postal-server-1`)
// would be told to run all 18 main migrations, i.e. that its restore needs a main database it
// does not carry.
BOOST_AUTO_TEST_CASE(backup_without_main_database_skips_the_main_comparison) {
  auto backup = backup_of(*catalog().find("2.1.4"));
  backup.databases.erase(backup.databases.begin());
  backup.postal.main_schema_level.clear();
  backup.postal.main_migrations.clear();
  const Plan plan = make_plan(backup, target_from_release(*catalog().find("3.3.6")), catalog());
  BOOST_TEST((plan.verdict == Verdict::ready));
  BOOST_TEST(plan.main_missing.empty());
  BOOST_TEST(plan.commands.empty());
  BOOST_REQUIRE(plan.warnings.size() == 1u);
  BOOST_TEST(plan.warnings[0].find("the backup holds no main database") == 0u, plan.warnings[0]);

  const Plan older =
      make_plan(backup, target_from_release(*catalog().find("1.x@20180216114344")), catalog());
  BOOST_TEST((older.verdict == Verdict::refused)); // its message DBs are still compared
  BOOST_TEST(older.main_missing.empty());
}

BOOST_AUTO_TEST_SUITE_END()
