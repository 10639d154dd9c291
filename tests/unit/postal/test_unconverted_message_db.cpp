// SPDX-License-Identifier: MIT
#include "postal/expected_schema.hpp"
#include "postal/unconverted_message_db.hpp"

#include "core/hash/sha256.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace pbk::archive;
using namespace pbk::postal;

namespace {

DatabaseInfo message_db_with_structure(const std::string& schema_file) {
  DatabaseInfo database;
  database.name = "postal-server-1";
  database.role = DatabaseRole::message;
  database.schema_level = "20";
  database.schema_hash = pbk::core::hash::sha256_hex(expected_canonical(schema_file).value());
  return database;
}

// `canonical` with raw-table blocks (given in canonical_schema's sorted order) added where it
// puts them, before raw_message_sizes, written out by hand as docs/format.md specifies them.
std::string with_raw_tables(std::string canonical, const std::vector<std::string>& collations) {
  std::string blocks;
  for (const auto& collation : collations) {
    const auto blob = collation == "mediumblob" ? "mediumblob" : "longblob";
    blocks += "table\traw-*\tInnoDB\t"
              + (collation == "mediumblob" ? std::string("utf8mb3_general_ci") : collation)
              + "\ncolumn\tdata\t" + blob
              + "\tnull\t\\N\t\t\\N\t\\N\n"
                "column\tid\tint\tnot-null\t\\N\tauto_increment\t\\N\t\\N\n"
                "column\tnext\tint\tnull\t\\N\t\t\\N\t\\N\n"
                "index\tPRIMARY\tunique\tBTREE\tid\t\\N\n";
  }
  canonical.insert(canonical.find("table\traw_message_sizes\t"), blocks);
  return canonical;
}

} // namespace

BOOST_AUTO_TEST_SUITE(UnconvertedMessageDb)

// Lost if it failed: a message DB migrated under the 2020-07-17 numbering would be restored as
// healthy and keep its utf8 tables for good, since Postal never converts it.
BOOST_AUTO_TEST_CASE(both_legacy_structures_are_recognised_by_hash) {
  BOOST_TEST(unconverted_legacy_19_schema(
                 message_db_with_structure("schema/message_db/20-from-19-legacy.sql"))
                 .value()
             == "schema/message_db/20-from-19-legacy.sql");
  auto legacy_19 = message_db_with_structure("schema/message_db/19-legacy.sql");
  legacy_19.schema_level = "19";
  BOOST_TEST(unconverted_legacy_19_schema(legacy_19).value() == "schema/message_db/19-legacy.sql");
  const auto warning = unconverted_warning(legacy_19);
  BOOST_TEST(warning.find("postal-server-1 has the structure of schema/message_db/19-legacy.sql")
                 == 0u,
             warning);
  BOOST_TEST(warning.find("recorded level (19)") != std::string::npos, warning);
}

// Lost if it failed: only a message DB that never received mail (no per-day raw tables) would
// be recognised, i.e. almost none of the real ones.
BOOST_AUTO_TEST_CASE(raw_tables_of_any_era_do_not_hide_it) {
  const std::string canonical(
      expected_canonical("schema/message_db/20-from-19-legacy.sql").value());
  for (const auto& raw : std::vector<std::vector<std::string>>{
           {"mediumblob"},
           {"utf8mb3_general_ci"},
           {"utf8mb3_general_ci", "mediumblob"},
           {"utf8mb3_general_ci", "utf8mb4_general_ci"},
           {"utf8mb3_general_ci", "mediumblob", "utf8mb4_0900_ai_ci"}}) {
    DatabaseInfo database;
    database.name = "postal-server-1";
    database.role = DatabaseRole::message;
    database.schema_level = "20";
    database.schema_hash = pbk::core::hash::sha256_hex(with_raw_tables(canonical, raw));
    BOOST_TEST(unconverted_legacy_19_schema(database).has_value(), raw.back());
  }
}

// Lost if it failed: every healthy message DB (or a main DB, or a backup without hashes) would
// be told to convert by hand what Postal already converted.
BOOST_AUTO_TEST_CASE(other_structures_are_not) {
  for (const auto* file : {"schema/message_db/20.sql",
                           "schema/message_db/20-upgraded-from-18.sql",
                           "schema/message_db/19.sql",
                           "schema/message_db/18.sql"}) {
    BOOST_TEST(!unconverted_legacy_19_schema(message_db_with_structure(file)), file);
  }
  auto main = message_db_with_structure("schema/message_db/20-from-19-legacy.sql");
  main.role = DatabaseRole::main;
  BOOST_TEST(!unconverted_legacy_19_schema(main));
  auto no_hash = message_db_with_structure("schema/message_db/20-from-19-legacy.sql");
  no_hash.schema_hash.clear();
  BOOST_TEST(!unconverted_legacy_19_schema(no_hash));
}

// Lost if it failed: the operator would be told to convert by hand without being told how, or
// a conversion done after `postal upgrade` would leave links.url mediumtext and `finish`
// waiting for ever (the database-level steps are tested on a server in PlanCli).
BOOST_AUTO_TEST_CASE(conversion_names_the_database_and_the_sql) {
  const auto command = utf8mb4_conversion_by_hand("postal-server-7");
  BOOST_TEST(
      command.starts_with("apply Postal's message migration 19 (convert_database_to_utf8mb4) "
                          "by hand in postal-server-7 (as the current database): "),
      command);
  BOOST_TEST(command.ends_with(": " + utf8mb4_conversion_sql()), command);
  const auto sql = utf8mb4_conversion_sql();
  BOOST_TEST(sql.starts_with("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "),
             sql);
  for (const auto* table : {"clicks", "links", "messages", "migrations", "webhook_requests"}) {
    BOOST_TEST(sql.find(std::string("ALTER TABLE `") + table
                        + "` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;")
                   != std::string::npos,
               table);
  }
  BOOST_TEST(sql.find("`raw-") == std::string::npos, sql);
  BOOST_TEST(sql.ends_with("; ALTER TABLE `links` MODIFY `url` TEXT;"), sql);
  BOOST_TEST(std::count(sql.begin(), sql.end(), ';') == 17); // database, 15 tables, links.url
}

BOOST_AUTO_TEST_SUITE_END()
