// SPDX-License-Identifier: MIT
// check_structure over the embedded expected schemas: healthy at every level, and each drift
// explained by the migration that introduces the difference (both halves of the missing-uuid
// incident), the message-DB variants, and the status and exit code contract.
#include "postal/expected_schema.hpp"
#include "postal/schema_check.hpp"
#include "postal/schema_release_facts.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace pbk::postal;

namespace {

const SchemaHistory& main_history() {
  static const SchemaHistory history = main_schema_history(
      pbk::postal::schema_catalog(pbk::postal::ReleaseCatalog::built_in()).main_migrations);
  return history;
}

const SchemaHistory& message_history() {
  static const SchemaHistory history = message_schema_history(
      pbk::postal::schema_catalog(pbk::postal::ReleaseCatalog::built_in()).message_db_migrations);
  return history;
}

std::string expected(const std::string& file) {
  const auto text = expected_canonical(file);
  BOOST_REQUIRE_MESSAGE(text, "no embedded schema for " << file);
  return std::string(*text);
}

std::string main_text(const std::string& level) {
  return expected("schema/main/" + level + ".sql");
}

std::string message_text(const std::string& variant) {
  return expected("schema/message_db/" + variant + ".sql");
}

// `text` with the block of `table` in `collation` where the expected schema has
// utf8mb4_general_ci, as a server or database with other defaults makes it.
std::string in_collation(std::string text, const std::string& table, const std::string& collation) {
  const auto start = text.find("table\t" + table + "\t");
  BOOST_REQUIRE(start != std::string::npos);
  const auto end = text.find("\ntable\t", start);
  const std::string from = "utf8mb4_general_ci";
  for (auto pos = text.find(from, start); pos < end; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), collation);
  }
  return text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(SchemaCheck)

BOOST_AUTO_TEST_CASE(expected_canonical_maps_catalog_file_names) {
  // Without it the catalog's schema file names would find no expected schema to compare with.
  BOOST_TEST(expected_canonical("schema/main/20210727210551.sql").has_value());
  BOOST_TEST(expected_canonical("schema/message_db/20-upgraded-from-18.sql").has_value());
  BOOST_TEST(!expected_canonical("schema/main/20210727210551").has_value());
  BOOST_TEST(!expected_canonical("releases.json").has_value());
  BOOST_TEST(expected_main_schema_files().size() == 10U);
}

BOOST_AUTO_TEST_CASE(levels_carry_their_migrations) {
  // Without it a drift message could not name the migration a user has to look at.
  const auto& levels = main_history().levels;
  const auto uuid = std::find_if(levels.begin(), levels.end(), [](const SchemaLevel& l) {
    return l.level == "20200717083943";
  });
  BOOST_TEST_REQUIRE((uuid != levels.end()));
  BOOST_TEST_REQUIRE(uuid->migrations.size() == 1U);
  BOOST_TEST(uuid->migrations[0].name == "add_uuid_to_credentials");
  BOOST_TEST(levels.front().migrations.size() == 5U); // the Authie ones and initial_schema
}

BOOST_AUTO_TEST_CASE(every_expected_schema_is_healthy_at_its_level) {
  // Without it a correct install of some Postal release would be reported as drifted.
  for (const auto& level : main_history().levels) {
    BOOST_TEST_CONTEXT(level.level) {
      const auto result = check_structure(main_text(level.level), level.level, main_history());
      BOOST_TEST(result.findings.empty());
      BOOST_TEST(result.notes.empty());
      BOOST_TEST(result.expected_level == level.level);
    }
  }
  for (const std::string variant : {"18", "19", "19-legacy", "20", "20-upgraded-from-18"}) {
    BOOST_TEST_CONTEXT(variant) {
      const auto level = variant.substr(0, 2);
      const auto result = check_structure(message_text(variant), level, message_history());
      BOOST_TEST(result.findings.empty());
      BOOST_TEST(result.expected_schema == "schema/message_db/" + variant + ".sql");
    }
  }
}

BOOST_AUTO_TEST_CASE(tables_migrated_without_charset_are_healthy_in_the_database_default) {
  // Lost if it failed: a 2.x install upgraded to 3.x in a database made utf8mb4_unicode_ci
  // (Postal 1.x's installer) has worker_roles and scheduled_tasks in that collation; it would
  // be drifted for good, and `finish` or the ExecStartPre= guard would keep Postal down.
  const auto level = std::string("20240311205229");
  const auto live =
      in_collation(in_collation(main_text(level), "worker_roles", "utf8mb4_unicode_ci"),
                   "scheduled_tasks",
                   "utf8mb4_unicode_ci");
  const auto in_unicode_db =
      check_structure(live, level, main_history(), {{}, "utf8mb4_unicode_ci"});
  BOOST_TEST(in_unicode_db.findings.empty());
  BOOST_TEST(in_unicode_db.notes.empty());
  // The same tables in a database whose default is utf8mb4_general_ci were changed by someone:
  // reported, but the same charset never blocks.
  const auto in_general_db =
      check_structure(live, level, main_history(), {{}, "utf8mb4_general_ci"});
  BOOST_TEST(in_general_db.findings.empty());
  BOOST_TEST(in_general_db.notes.size() == 5U); // two tables, three character columns
  DatabaseCheck check{"postal", "main", level, in_general_db, {}};
  BOOST_TEST((schema_status({check}) == SchemaStatus::healthy));
}

BOOST_AUTO_TEST_CASE(another_collation_in_any_table_is_a_note) {
  // Lost if it failed: a table someone converted to another utf8mb4 collation would stop
  // `finish` although Postal runs on it unchanged; a utf8 table must still stop it.
  const auto level = std::string("20210727210551");
  const auto unicode = check_structure(
      in_collation(main_text(level), "credentials", "utf8mb4_unicode_ci"), level, main_history());
  BOOST_TEST(unicode.findings.empty());
  BOOST_TEST_REQUIRE(!unicode.notes.empty());
  BOOST_TEST((unicode.notes[0].kind == FindingKind::collation_difference));
  const auto utf8 = check_structure(
      in_collation(main_text(level), "credentials", "utf8mb3_general_ci"), level, main_history());
  BOOST_TEST_REQUIRE(!utf8.findings.empty());
  BOOST_TEST((utf8.findings[0].kind == FindingKind::charset_mismatch));
}

BOOST_AUTO_TEST_CASE(recorded_migration_without_its_column_is_named) {
  // Without it the known incident repeats: schema_migrations claims the uuid migration, Postal
  // 2.x skips it, and every credential page breaks on the absent column.
  const auto result =
      check_structure(main_text("20180216114344"), "20200717083943", main_history());
  BOOST_TEST_REQUIRE(result.findings.size() == 1U);
  const auto& finding = result.findings[0];
  BOOST_TEST((finding.kind == FindingKind::missing_column));
  BOOST_TEST(finding.migration == "20200717083943");
  BOOST_TEST(finding.message
             == "schema_migrations records 20200717083943 (add_uuid_to_credentials) but "
                "credentials.uuid is absent");
}

BOOST_AUTO_TEST_CASE(column_without_its_migration_row_is_named) {
  // Without it Postal would run the migration again on upgrade and fail on the existing column.
  const auto result =
      check_structure(main_text("20200717083943"), "20180216114344", main_history());
  BOOST_TEST_REQUIRE(result.findings.size() == 1U);
  BOOST_TEST((result.findings[0].kind == FindingKind::extra_column));
  BOOST_TEST(result.findings[0].message
             == "credentials.uuid exists but migration 20200717083943 (add_uuid_to_credentials) "
                "is not recorded in schema_migrations");
}

BOOST_AUTO_TEST_CASE(renumbered_message_database_is_explained) {
  // Without it a message database whose utf8mb4 conversion never ran would look healthy by its
  // level, and 4-byte characters (emoji) in mail would fail to store.
  const auto result = check_structure(message_text("20-from-19-legacy"), "20", message_history());
  BOOST_TEST_REQUIRE(result.findings.size() == 1U);
  BOOST_TEST((result.findings[0].kind == FindingKind::known_drift));
  BOOST_TEST(result.findings[0].message.find("migration 19 (utf8mb4 conversion) never ran — the "
                                             "2020 renumbering")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_level_is_drift) {
  // Without it a fork's or a half-migrated database would be compared with nothing and pass.
  const auto result =
      check_structure(main_text("20240311205229"), "20990101000000", main_history());
  BOOST_TEST_REQUIRE(result.findings.size() == 1U);
  BOOST_TEST((result.findings[0].kind == FindingKind::unknown_level));
}

BOOST_AUTO_TEST_CASE(release_comparison_and_status) {
  // Without it `schema check` could not tell "run postal upgrade" (3) from drift (4) to cron.
  DatabaseCheck main{"postal", "main", "20180216114344", {}, {}};
  check_against_release(main,
                        {"20170428153353", "20180216114344"},
                        {"20170428153353", "20180216114344", "20200717083943", "20210727210551"},
                        "20210727210551",
                        "2.1.4");
  BOOST_TEST(main.pending == (std::vector<std::string>{"20200717083943", "20210727210551"}));
  BOOST_TEST(main.structure.findings.empty());
  BOOST_TEST((schema_status({main}) == SchemaStatus::migrations_pending));
  BOOST_TEST(exit_code(SchemaStatus::migrations_pending) == 3);

  DatabaseCheck newer{"postal", "main", "20240311205229", {}, {}};
  check_against_release(newer, {"20240311205229"}, {"20210727210551"}, "20210727210551", "2.1.4");
  BOOST_TEST((newer.structure.findings.at(0).kind == FindingKind::newer_than_release));
  BOOST_TEST((schema_status({main, newer}) == SchemaStatus::drift));
  BOOST_TEST(exit_code(SchemaStatus::drift) == 4);
  BOOST_TEST(exit_code(SchemaStatus::healthy) == 0);
  BOOST_TEST(to_string(SchemaStatus::migrations_pending) == "migrations_pending");
}

BOOST_AUTO_TEST_SUITE_END()
