// SPDX-License-Identifier: MIT
// checked_create_table against what a real server prints: every table of every Postal schema
// level passes the check, and the statement built from it recreates the same table.
#include "archive/create_table_statement.hpp"

#include "core/error.hpp"
#include "restore/server_collations.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using pbk::archive::checked_create_table;
using pbk::archive::CreateTableOptions;
using pbk::core::db::Connection;

namespace {

std::vector<std::string> base_tables(Connection& connection, const std::string& database) {
  std::vector<std::string> tables;
  for (const auto& row : connection
                             .query("SELECT TABLE_NAME FROM information_schema.TABLES"
                                    " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = "
                                    + connection.quote(database) + " ORDER BY TABLE_NAME")
                             .rows()) {
    tables.push_back(row.at(0).value());
  }
  return tables;
}

std::string
show_create(Connection& connection, const std::string& database, const std::string& table) {
  const auto rows = connection
                        .query("SHOW CREATE TABLE " + Connection::quote_identifier(database) + "."
                               + Connection::quote_identifier(table))
                        .rows();
  return rows.at(0).at(1).value();
}

std::string
row_format(Connection& connection, const std::string& database, const std::string& table) {
  return connection
      .query_value("SELECT ROW_FORMAT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   + connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table))
      .value_or("");
}

std::string
checksum(Connection& connection, const std::string& database, const std::string& table) {
  return connection
      .query("CHECKSUM TABLE " + Connection::quote_identifier(database) + "."
             + Connection::quote_identifier(table))
      .rows()
      .at(0)
      .at(1)
      .value_or("NULL");
}

// Recreates every table of `database` in a scratch database from its checked SHOW CREATE
// TABLE; returns how many. Without a forced row format each comes out as SHOW CREATE TABLE
// printed the original; with it, only COMPACT and REDUNDANT tables change, to DYNAMIC.
int recreate_database(Connection& source,
                      const std::string& database,
                      const CreateTableOptions& options) {
  const auto& server = pbk::test::test_server();
  const auto collations = pbk::restore::ServerCollations::read(source);
  pbk::test::ScratchDatabase scratch(server);
  auto target = scratch.connect();
  int recreated = 0;
  for (const auto& table : base_tables(source, database)) {
    BOOST_TEST_CONTEXT(database << "." << table) {
      const std::string original = show_create(source, database, table);
      const auto checked = checked_create_table(original + ";\n", table, options, "sample");
      collations.check(checked.definition, "sample");
      target.execute(checked.sql);
      ++recreated;
      const auto before = row_format(source, database, table);
      const bool changes =
          options.force_dynamic_row_format && (before == "Compact" || before == "Redundant");
      BOOST_TEST(checked.row_format_changed == changes);
      if (!changes) {
        BOOST_TEST(show_create(target, scratch.name(), table) == original);
      }
      BOOST_TEST(row_format(target, scratch.name(), table) == (changes ? "Dynamic" : before));
    }
  }
  return recreated;
}

void recreate_all(const pbk::test::PostalSample& sample, const CreateTableOptions& options) {
  auto source = Connection::connect(pbk::test::test_server().root_options());
  int recreated = 0;
  for (const auto& database : sample.databases()) {
    recreated += recreate_database(source, database, options);
  }
  BOOST_TEST(recreated > 20);
}

// Loads `files` (of tests/fixtures/postal/schema) into one scratch database and recreates its
// tables.
int recreate_fixture(const std::vector<std::string>& files) {
  const auto& server = pbk::test::test_server();
  const auto root = std::filesystem::path(PBK_SOURCE_DIR) / "tests/fixtures/postal/schema";
  pbk::test::ScratchDatabase loaded(server);
  for (const auto& file : files) {
    pbk::test::run_sql_file(server, loaded.name(), root / file);
  }
  auto source = Connection::connect(server.root_options());
  return recreate_database(source, loaded.name(), CreateTableOptions{});
}

} // namespace

BOOST_AUTO_TEST_SUITE(CreateTableStatementOnServer,
                      *boost::unit_test::precondition(pbk::test::require_server))

// Lost if it failed: restoring a Postal 1.x install would refuse its own tables or recreate
// them differently from the backup.
BOOST_AUTO_TEST_CASE(postal_1_tables_are_recreated_identically) {
  pbk::test::PostalSample sample(pbk::test::test_server(), {"20180216114344", "18", 2, 10, 0, 41});
  recreate_all(sample, CreateTableOptions{});
}

// Lost if it failed: restoring a Postal 3.x install would refuse its own tables or recreate
// them differently from the backup.
BOOST_AUTO_TEST_CASE(postal_3_tables_are_recreated_identically) {
  pbk::test::PostalSample sample(pbk::test::test_server(), {"20240311205229", "20", 1, 10, 0, 42});
  recreate_all(sample, CreateTableOptions{});
}

// Lost if it failed: some table of some Postal schema level (main, message database, raw
// tables of every definition) would be refused or recreated differently from the backup.
BOOST_AUTO_TEST_CASE(every_fixture_level_is_recreated_identically) {
  const auto root = std::filesystem::path(PBK_SOURCE_DIR) / "tests/fixtures/postal/schema";
  int recreated = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto file = entry.path().lexically_relative(root).string();
    if (entry.path().extension() != ".sql") {
      continue;
    }
    BOOST_TEST_CONTEXT(file) {
      // A raw table's file also records it in raw_message_sizes, a message database table.
      recreated += file.find("/raw-") != std::string::npos
                       ? recreate_fixture({"message_db/20.sql", file})
                       : recreate_fixture({file});
    }
  }
  BOOST_TEST(recreated > 300);
}

// Lost if it failed (issue 11, A3): restoring into Postal 3.x would change tables that need no
// change, so their CHECKSUM TABLE would differ from the source's.
BOOST_AUTO_TEST_CASE(forced_dynamic_keeps_tables_without_a_row_format_identical) {
  const auto& server = pbk::test::test_server();
  auto connection = Connection::connect(server.root_options());
  pbk::test::ScratchDatabase source(server);
  pbk::test::ScratchDatabase target(server);
  const std::string fixed = "CREATE TABLE `fixed` (`id` int(11) NOT NULL, `n` bigint DEFAULT 0,"
                            " PRIMARY KEY (`id`)) ENGINE=InnoDB";
  auto in_source = source.connect();
  in_source.execute(fixed);
  in_source.execute("INSERT INTO `fixed` VALUES (1, 2), (3, 4)");
  const auto original = show_create(connection, source.name(), "fixed");
  const auto checked = checked_create_table(original, "fixed", CreateTableOptions{true}, "a");
  BOOST_TEST(!checked.row_format_changed);
  auto in_target = target.connect();
  in_target.execute(checked.sql);
  in_target.execute("INSERT INTO `fixed` VALUES (1, 2), (3, 4)");
  BOOST_TEST(show_create(connection, target.name(), "fixed") == original);
  BOOST_TEST(checksum(connection, target.name(), "fixed")
             == checksum(connection, source.name(), "fixed"));
}

// Lost if it failed: restore would send names of charsets or collations the server lacks, or
// refuse ones it has under their older spelling (utf8, utf8_general_ci).
BOOST_AUTO_TEST_CASE(server_collations_are_read_once_and_checked) {
  auto connection = Connection::connect(pbk::test::test_server().root_options());
  const auto collations = pbk::restore::ServerCollations::read(connection);
  BOOST_TEST(collations.has_charset("utf8mb4"));
  BOOST_TEST(collations.has_charset("utf8"));
  BOOST_TEST(collations.has_collation("utf8_general_ci"));
  BOOST_TEST(collations.has_collation("UTF8MB4_UNICODE_CI"));
  BOOST_TEST(!collations.has_collation("utf8mb4_nonesuch_ci"));
  pbk::archive::DatabaseInfo database;
  database.name = "postal";
  database.charset = "utf8mb4";
  database.collation = "utf8mb4_nonesuch_ci";
  BOOST_CHECK_EXCEPTION(
      collations.check(database, "a.tar"), pbk::core::Error, [](const pbk::core::Error& e) {
        return e.code() == pbk::core::ExitCode::refused
               && std::string(e.what())
                      == "a.tar: database postal uses collation "
                         "utf8mb4_nonesuch_ci, which the target server does "
                         "not have";
      });
  const auto definition = pbk::archive::parse_table_definition(
      "CREATE TABLE `t` (`a` text CHARACTER SET nonesuch) ENGINE=InnoDB", "t");
  BOOST_CHECK_THROW(collations.check(definition, "a.tar"), pbk::core::Error);
}

// Lost if it failed: a Postal 3.x target would get COMPACT tables from an old backup, and its
// migrations would fail on them.
BOOST_AUTO_TEST_CASE(forced_dynamic_row_format_reaches_the_server) {
  pbk::test::PostalSample sample(pbk::test::test_server(), {"20180216114344", "18", 1, 5, 0, 43});
  auto connection = Connection::connect(pbk::test::test_server().root_options());
  const std::string servers = Connection::quote_identifier(sample.main_db()) + ".`servers`";
  connection.execute("ALTER TABLE " + servers + " ROW_FORMAT=COMPACT");
  const std::string original = show_create(connection, sample.main_db(), "servers");
  BOOST_TEST(original.find("ROW_FORMAT=COMPACT") != std::string::npos);
  recreate_all(sample, CreateTableOptions{true});
}

BOOST_AUTO_TEST_SUITE_END()
