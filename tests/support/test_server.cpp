// SPDX-License-Identifier: MIT
#include "tests/support/test_server.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>

namespace pbk::test {

namespace {

constexpr const char* k_dir_variable = "PBK_TEST_SERVER_DIR";

bool server_required() {
  const char* value = std::getenv("PBK_REQUIRE_MARIADB");
  return value != nullptr && std::string_view(value) == "1";
}

std::map<std::string, std::string> read_env_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string() + ": is the test server started?");
  }
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) {
      values[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return values;
}

std::unique_ptr<TestServer> load_server() {
  const char* dir = std::getenv(k_dir_variable);
  if (dir == nullptr || *dir == '\0') {
    return nullptr;
  }
  auto values = read_env_file(std::filesystem::path(dir) / "env");
  auto server = std::make_unique<TestServer>();
  server->dir = dir;
  server->socket = values["PBK_TEST_SOCKET"];
  server->host = values["PBK_TEST_HOST"];
  server->port = static_cast<unsigned>(std::stoul(values["PBK_TEST_PORT"]));
  server->user = values["PBK_TEST_USER"];
  server->log_bin = values["PBK_TEST_LOG_BIN"] == "1";
  return server;
}

} // namespace

const TestServer* TestServer::find() {
  static const std::unique_ptr<TestServer> server = load_server();
  return server.get();
}

core::db::ConnectionOptions TestServer::root_options() const {
  core::db::ConnectionOptions options;
  options.socket = socket;
  options.user = user;
  options.role = "test server";
  return options;
}

std::vector<std::string> TestServer::tool_args(const std::string& main_db,
                                               const std::string& prefix) const {
  return {
      "--socket", socket, "--user", "root", "--main-db", main_db, "--message-db-prefix", prefix};
}

boost::test_tools::assertion_result require_server(boost::unit_test::test_unit_id) {
  if (TestServer::find() != nullptr || server_required()) {
    return true;
  }
  boost::test_tools::assertion_result skip(false);
  skip.message() << "no MariaDB test server: " << k_dir_variable
                 << " is not set (run through ctest, or start one with scripts/test-mariadb)";
  return skip;
}

const TestServer& test_server() {
  const TestServer* server = TestServer::find();
  if (server == nullptr) {
    BOOST_FAIL("PBK_REQUIRE_MARIADB=1 but " << k_dir_variable << " is not set");
  }
  return *server;
}

ScratchDatabase::ScratchDatabase(const TestServer& server)
    : m_server(server) {
  static std::atomic<unsigned> counter{0};
  m_name = "pbk_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  auto connection = core::db::Connection::connect(server.root_options());
  // A crashed earlier run with the same pid may have left it behind.
  connection.execute("DROP DATABASE IF EXISTS " + core::db::Connection::quote_identifier(m_name));
  connection.execute("CREATE DATABASE " + core::db::Connection::quote_identifier(m_name));
}

ScratchDatabase::~ScratchDatabase() {
  try {
    // A fresh connection: the test's own may be broken or busy with a stream.
    auto connection = core::db::Connection::connect(m_server.root_options());
    connection.execute("DROP DATABASE IF EXISTS " + core::db::Connection::quote_identifier(m_name));
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE("cannot drop scratch database " << m_name << ": " << e.what());
  }
}

core::db::Connection ScratchDatabase::connect() const {
  auto connection = core::db::Connection::connect(m_server.root_options());
  connection.execute("USE " + core::db::Connection::quote_identifier(m_name));
  return connection;
}

TestUser::TestUser(const TestServer& server, std::string name, std::string host)
    : m_admin(core::db::Connection::connect(server.root_options())),
      m_account(m_admin.quote(name) + "@" + m_admin.quote(host)),
      m_name(std::move(name)) {
  m_admin.execute("DROP USER IF EXISTS " + m_account);
  m_admin.execute("CREATE USER " + m_account + " IDENTIFIED BY " + m_admin.quote(password()));
}

TestUser::~TestUser() {
  try {
    m_admin.execute("DROP USER IF EXISTS " + m_account);
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE("cannot drop test user " << m_account << ": " << e.what());
  }
}

void TestUser::grant(const std::string& what) {
  m_admin.execute("GRANT " + what + " TO " + m_account);
}

void run_sql_file(const TestServer& server,
                  const std::string& database,
                  const std::filesystem::path& sql_file) {
  std::ifstream in(sql_file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + sql_file.string());
  }
  std::string sql{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto result = run_command(
      {"mariadb", "--no-defaults", "--socket=" + server.socket, "-u" + server.user, database},
      std::move(sql));
  if (result.exit_code != 0) {
    throw std::runtime_error("mariadb failed on " + sql_file.string() + " (exit "
                             + std::to_string(result.exit_code) + "): " + result.err);
  }
}

} // namespace pbk::test
