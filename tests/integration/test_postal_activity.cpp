// SPDX-License-Identifier: MIT
#include "postal/postal_activity.hpp"

#include "core/error.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using pbk::core::ExitCode;
using pbk::core::db::Connection;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;
using pbk::test::TestUser;
namespace postal = pbk::postal;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The refusal thrown by `action`, failing the test when none is thrown.
template <typename Action>
pbk::core::Error refusal_of(Action action) {
  try {
    action();
  } catch (const pbk::core::Error& e) {
    return e;
  }
  BOOST_FAIL("expected a refusal");
  throw std::logic_error("unreachable");
}

// A Postal-like client: a TCP connection as its own account with `database` selected.
Connection connect_as_postal(const TestUser& user, const std::string& database) {
  const auto& server = test_server();
  pbk::core::db::ConnectionOptions options;
  options.host = "127.0.0.1";
  options.port = server.port;
  options.user = user.name();
  options.password = TestUser::password();
  auto connection = Connection::connect(options);
  connection.execute("USE " + Connection::quote_identifier(database));
  return connection;
}

} // namespace

BOOST_AUTO_TEST_SUITE(PostalActivity, *boost::unit_test::precondition(pbk::test::require_server))

// Lost if it failed: a restore would swap the databases under a running Postal, which would
// keep writing mail into the tables being replaced, or miss that Postal is running at all.
BOOST_AUTO_TEST_CASE(another_connection_to_a_target_database_is_found) {
  const auto& server = test_server();
  ScratchDatabase target(server);
  ScratchDatabase other(server);
  auto own = target.connect(); // the restore's own connection never counts
  auto postal = target.connect();
  auto bystander = other.connect();

  const auto occupants = postal::connections_using(own, {target.name()});
  BOOST_TEST_REQUIRE(occupants.size() == 1u);
  BOOST_TEST(occupants[0].database == target.name());
  BOOST_TEST(occupants[0].user == "root");
  BOOST_TEST(occupants[0].host == "localhost");
  BOOST_TEST(occupants[0].connections == 1u);

  BOOST_TEST(postal::connections_using(own, {"pbk_no_such_database"}).empty());
  BOOST_TEST(postal::connections_using(own, {}).empty());
  bystander.execute("USE " + Connection::quote_identifier(target.name()));
  BOOST_TEST(postal::connections_using(own, {target.name()}).at(0).connections == 2u);
}

// Lost if it failed: the operator would not learn which machine and account still hold the
// database open, and could not tell Postal's workers from someone's SQL console.
BOOST_AUTO_TEST_CASE(refusal_names_database_host_and_user) {
  const auto& server = test_server();
  ScratchDatabase target(server);
  ScratchDatabase other(server);
  TestUser user(server, "pbk_occupant", "%");
  user.grant("SELECT ON " + Connection::quote_identifier(target.name()) + ".*");
  auto first = connect_as_postal(user, target.name());
  auto second = connect_as_postal(user, target.name());
  auto admin = Connection::connect(server.root_options());

  BOOST_CHECK_NO_THROW(postal::refuse_if_postal_connected(admin, {other.name()}));
  const auto refusal = refusal_of([&] {
    postal::refuse_if_postal_connected(admin, {other.name(), target.name()});
  });
  BOOST_TEST(static_cast<int>(refusal.code()) == static_cast<int>(ExitCode::refused));
  const std::string message = refusal.what();
  BOOST_TEST(message
                 == "Postal is still connected to " + target.name()
                        + " (2 connection(s) from 127.0.0.1 as pbk_occupant)",
             message);
  BOOST_TEST_REQUIRE(refusal.hints().size() == 1u);
  BOOST_TEST(contains(refusal.hints()[0], "postal stop"));
  BOOST_TEST(contains(refusal.hints()[0], "--force"));
}

// Lost if it failed: a freshly initialized Postal (the documented restore target) would be
// refused as "holding data", or a target with real users and mail would be overwritten
// without --force.
BOOST_AUTO_TEST_CASE(only_rows_outside_migration_bookkeeping_count_as_data) {
  const auto& server = test_server();
  ScratchDatabase target(server);
  auto connection = target.connect();
  connection.execute("CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY)");
  connection.execute("INSERT INTO schema_migrations VALUES ('20240311205229')");
  connection.execute("CREATE TABLE ar_internal_metadata (`key` VARCHAR(255) PRIMARY KEY)");
  connection.execute("INSERT INTO ar_internal_metadata VALUES ('environment')");
  connection.execute("CREATE TABLE migrations (version INT PRIMARY KEY)");
  connection.execute("INSERT INTO migrations VALUES (20)");
  connection.execute("CREATE TABLE users (id INT PRIMARY KEY)");
  connection.execute("CREATE TABLE servers (id INT PRIMARY KEY)");
  connection.execute("CREATE VIEW user_view AS SELECT 1 AS one");

  BOOST_TEST(postal::tables_holding_data(connection, target.name()).empty());
  BOOST_CHECK_NO_THROW(postal::refuse_if_holding_data(connection, {target.name()}));

  connection.execute("INSERT INTO users VALUES (1)");
  const auto tables = postal::tables_holding_data(connection, target.name());
  BOOST_TEST(tables == std::vector<std::string>{"users"}, boost::test_tools::per_element());
  const auto refusal =
      refusal_of([&] { postal::refuse_if_holding_data(connection, {target.name()}); });
  BOOST_TEST(static_cast<int>(refusal.code()) == static_cast<int>(ExitCode::refused));
  BOOST_TEST(std::string(refusal.what())
                 == "the target database " + target.name()
                        + " already holds data (1 table with rows, e.g. users)",
             refusal.what());
  BOOST_TEST_REQUIRE(refusal.hints().size() == 1u);
  BOOST_TEST(contains(refusal.hints()[0], "postal-backup finish"));
}

// Lost if it failed: restoring onto a server where Postal was never installed (no databases
// yet) would fail instead of creating them.
BOOST_AUTO_TEST_CASE(a_missing_database_holds_no_data) {
  auto connection = Connection::connect(test_server().root_options());
  BOOST_TEST(postal::tables_holding_data(connection, "pbk_no_such_database").empty());
  BOOST_CHECK_NO_THROW(postal::refuse_if_holding_data(connection, {"pbk_no_such_database"}));
}

BOOST_AUTO_TEST_SUITE_END()
