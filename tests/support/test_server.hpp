// SPDX-License-Identifier: MIT
// Test access to the throwaway MariaDB server of scripts/test-mariadb (started by CTest):
// $PBK_TEST_SERVER_DIR/env says where it listens. Without it, database tests are skipped,
// unless PBK_REQUIRE_MARIADB=1 (scripts/test, CI), where a missing server is a failure.
#pragma once

#include "core/db/connection.hpp"
#include "tests/support/run_command.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace pbk::test {

struct TestServer {
  std::filesystem::path dir;
  std::string socket;
  std::string host;
  unsigned port = 0;
  std::string user;
  bool log_bin = false;

  // The server named by $PBK_TEST_SERVER_DIR, nullptr when unset; throws when set but unreadable.
  [[nodiscard]] static const TestServer* find();

  // root over the private socket, no password, no option files.
  [[nodiscard]] core::db::ConnectionOptions root_options() const;

  // --socket/--user/--main-db/--message-db-prefix: postal-backup reaching, as root, the Postal
  // install of main database `main_db` and message databases `prefix`-server-<id>.
  [[nodiscard]] std::vector<std::string> tool_args(const std::string& main_db,
                                                   const std::string& prefix) const;
};

// Precondition for suites and cases that need a server:
//   BOOST_AUTO_TEST_SUITE(Name, *boost::unit_test::precondition(pbk::test::require_server))
// Skips with a reason when no server is configured; with PBK_REQUIRE_MARIADB=1 it lets the
// test run so that test_server() fails it.
boost::test_tools::assertion_result require_server(boost::unit_test::test_unit_id);

// The configured server; fails the current test when there is none.
[[nodiscard]] const TestServer& test_server();

// A uniquely named database (pbk_test_<n>) created on construction and dropped on destruction.
class ScratchDatabase {
public:
  explicit ScratchDatabase(const TestServer& server);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return m_name; }

  // A root connection with this database selected.
  [[nodiscard]] core::db::Connection connect() const;

private:
  const TestServer& m_server;
  std::string m_name;
};

// A database account `name`@`host` with password() created on construction (replacing a
// leftover of an earlier run) and dropped on destruction, for tests of privileges.
class TestUser {
public:
  TestUser(const TestServer& server, std::string name, std::string host = "localhost");
  ~TestUser();
  TestUser(const TestUser&) = delete;
  TestUser& operator=(const TestUser&) = delete;

  // Runs GRANT `what` TO this user, e.g. grant("SELECT ON `db`.*").
  void grant(const std::string& what);

  [[nodiscard]] const std::string& name() const noexcept { return m_name; }

  [[nodiscard]] static std::string password() { return "pbk-test-secret"; }

private:
  core::db::Connection m_admin;
  std::string m_account;
  std::string m_name;
};

// Runs `sql_file` with the mariadb command-line client as root in `database`; throws on failure.
void run_sql_file(const TestServer& server,
                  const std::string& database,
                  const std::filesystem::path& sql_file);

} // namespace pbk::test
