// SPDX-License-Identifier: MIT
// checked_create_table against what a real server prints: every table of a loaded Postal
// install passes the check, and the statement it returns recreates the same table.
#include "restore/create_table_statement.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

using pbk::core::db::Connection;
using pbk::restore::checked_create_table;
using pbk::restore::CreateTableOptions;

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

// Recreates every table of `sample` in scratch databases from its checked SHOW CREATE TABLE.
void recreate_all(const pbk::test::PostalSample& sample, const CreateTableOptions& options) {
  const auto& server = pbk::test::test_server();
  auto source = Connection::connect(server.root_options());
  int recreated = 0;
  for (const auto& database : sample.databases()) {
    pbk::test::ScratchDatabase scratch(server);
    auto target = scratch.connect();
    for (const auto& table : base_tables(source, database)) {
      BOOST_TEST_CONTEXT(database << "." << table) {
        const std::string original = show_create(source, database, table);
        const auto checked = checked_create_table(original + ";\n", table, options, "sample");
        target.execute(checked.sql);
        ++recreated;
        if (!options.force_dynamic_row_format) {
          BOOST_TEST(show_create(target, scratch.name(), table) == original);
          BOOST_TEST(!checked.row_format_changed);
        } else {
          BOOST_TEST(row_format(target, scratch.name(), table) == "Dynamic");
        }
      }
    }
  }
  BOOST_TEST(recreated > 20);
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
