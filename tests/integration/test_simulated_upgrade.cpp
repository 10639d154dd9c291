// SPDX-License-Identifier: MIT
// scripts/simulate-postal-upgrade, the stand-in for `postal upgrade` that the demo and the
// restore tests use as --migrate-with: a 1.x install (main level 20180216114344, utf8 message
// databases at level 18) upgraded to 2.1.4 passes `schema check` for 2.1.4, keeps every row,
// and a second run changes nothing.
#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using pbk::core::db::Connection;
using namespace pbk::test;

namespace {

const std::string k_script = std::string(PBK_SOURCE_DIR) + "/scripts/simulate-postal-upgrade";

CommandResult simulate_upgrade(const PostalSample& sample, const std::string& version) {
  return run_command({k_script,
                      "--target-version",
                      version,
                      "--socket",
                      test_server().socket,
                      "--user",
                      "root",
                      "--main-db",
                      sample.main_db(),
                      "--message-db-prefix",
                      sample.prefix()});
}

std::string count(Connection& connection, const std::string& sql) {
  return connection.query_value(sql).value_or("NULL");
}

// Every line of `out` that reports an applied migration.
std::vector<std::string> applied_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const auto end = out.find('\n', start);
    const auto line = out.substr(start, end == std::string::npos ? end : end - start);
    if (line.find(" applied") != std::string::npos) {
      lines.push_back(line);
    }
    start = end == std::string::npos ? out.size() : end + 1;
  }
  return lines;
}

} // namespace

BOOST_AUTO_TEST_SUITE(SimulatedUpgrade, *boost::unit_test::precondition(require_server))

BOOST_AUTO_TEST_CASE(upgrade_of_a_1x_install_to_2_1_4_is_healthy_and_keeps_every_row) {
  // Lost if it failed: the restore tests and the demo would "migrate" with something other
  // than Postal's migrations, so a restore the tool calls finished could still leave Postal
  // 2.1.4 without credentials.uuid or with utf8 message tables — or the credentials gone.
  const auto& server = test_server();
  PostalSample sample(server, {"20180216114344", "18", 2, 30, 0, 3});
  auto connection = Connection::connect(server.root_options());
  const auto credentials = Connection::quote_identifier(sample.main_db()) + ".credentials";
  const auto before = count(connection, "SELECT COUNT(*) FROM " + credentials);

  const auto upgraded = simulate_upgrade(sample, "2.1.4");
  BOOST_TEST_REQUIRE(upgraded.exit_code == 0, upgraded.out << upgraded.err);
  const std::vector<std::string> expected{"== main 20200717083943 applied",
                                          "== main 20210727210551 applied",
                                          "== " + sample.prefix() + "-server-1 19 applied",
                                          "== " + sample.prefix() + "-server-1 20 applied",
                                          "== " + sample.prefix() + "-server-2 19 applied",
                                          "== " + sample.prefix() + "-server-2 20 applied"};
  BOOST_TEST(applied_lines(upgraded.out) == expected, boost::test_tools::per_element());

  auto args = sample.connection_args();
  args.insert(args.begin(), {"schema", "check"});
  args.insert(args.end(), {"--target-version", "2.1.4", "--json"});
  const auto checked = run_tool(args);
  BOOST_TEST(checked.exit_code == 0, checked.out << checked.err);
  const auto json = nlohmann::json::parse(checked.out);
  BOOST_TEST(json.at("status") == "healthy", checked.out);

  BOOST_TEST(count(connection,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                       + connection.quote(sample.main_db())
                       + " AND TABLE_NAME = 'credentials' AND COLUMN_NAME = 'uuid'")
             == "1");
  BOOST_TEST(count(connection, "SELECT COUNT(*) FROM " + credentials) == before);
  BOOST_TEST(before != "0");
  BOOST_TEST(count(connection, "SELECT COUNT(*) FROM " + credentials + " WHERE uuid IS NULL")
             == "0");
}

BOOST_AUTO_TEST_CASE(second_run_applies_nothing) {
  // Lost if it failed: a restore re-running its --migrate-with command (after a retry, or on
  // `postal-backup status`) would fail on "duplicate column" and stay awaiting migrations.
  const auto& server = test_server();
  PostalSample sample(server, {"20180216114344", "18", 1, 10, 0, 4});
  const auto first = simulate_upgrade(sample, "2.1.4");
  BOOST_TEST_REQUIRE(first.exit_code == 0, first.out << first.err);
  auto connection = Connection::connect(server.root_options());
  const auto sums = table_checksums(connection, sample.main_db());

  const auto second = simulate_upgrade(sample, "2.1.4");
  BOOST_TEST(second.exit_code == 0, second.out << second.err);
  BOOST_TEST(applied_lines(second.out).empty(), second.out);
  BOOST_TEST(second.err.empty(), second.err);
  BOOST_TEST((table_checksums(connection, sample.main_db()) == sums));
}

BOOST_AUTO_TEST_CASE(unknown_release_is_refused_without_touching_the_databases) {
  // Lost if it failed: a typo in the demo's or a test's target version would leave the
  // databases at the old level while the run looked successful.
  const auto& server = test_server();
  PostalSample sample(server, {"20180216114344", "18", 1, 10, 0, 5});
  const auto result = simulate_upgrade(sample, "2.9.9");
  BOOST_TEST(result.exit_code != 0);
  BOOST_TEST(result.err.find("unknown Postal release '2.9.9'") != std::string::npos, result.err);
  BOOST_TEST(applied_lines(result.out).empty(), result.out);
  auto connection = Connection::connect(server.root_options());
  BOOST_TEST(count(connection,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                       + connection.quote(sample.main_db())
                       + " AND TABLE_NAME = 'credentials' AND COLUMN_NAME = 'uuid'")
             == "0");
}

BOOST_AUTO_TEST_SUITE_END()
