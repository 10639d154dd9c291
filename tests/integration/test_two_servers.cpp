// SPDX-License-Identifier: MIT
// Postal's main_db and message_db may live on different database servers (two blocks in
// postal.yml). A second throwaway server is started for these tests.
#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace pbk::test;

namespace {

// A second server, started next to the one CTest provides and stopped with the object.
class SecondServer {
public:
  SecondServer() {
    const auto script = std::string(PBK_SOURCE_DIR) + "/scripts/test-mariadb";
    const auto started = run_command({script, "start", (m_dir.path() / "s").string()});
    BOOST_TEST_REQUIRE(started.exit_code == 0, started.err);
    std::ifstream env(m_dir.path() / "s" / "env");
    std::string line;
    while (std::getline(env, line)) {
      const auto eq = line.find('=');
      const auto key = line.substr(0, eq);
      const auto value = line.substr(eq + 1);
      if (key == "PBK_TEST_SOCKET") {
        m_server.socket = value;
      } else if (key == "PBK_TEST_PORT") {
        m_server.port = static_cast<unsigned>(std::stoul(value));
      }
    }
    m_server.dir = m_dir.path() / "s";
    m_server.host = "127.0.0.1";
    m_server.user = "root";
  }

  ~SecondServer() {
    (void)run_command({std::string(PBK_SOURCE_DIR) + "/scripts/test-mariadb",
                       "stop",
                       (m_dir.path() / "s").string()});
  }

  SecondServer(const SecondServer&) = delete;
  SecondServer& operator=(const SecondServer&) = delete;

  [[nodiscard]] const TestServer& server() const { return m_server; }

private:
  TempDir m_dir;
  TestServer m_server;
};

} // namespace

BOOST_AUTO_TEST_SUITE(TwoServers, *boost::unit_test::precondition(require_server))

// Lost if it failed: installs with message databases on their own server (a documented
// Postal setup) would get backups without their mail, or fail outright.
BOOST_AUTO_TEST_CASE(main_and_message_databases_on_different_servers) {
  const auto& first = test_server();
  SecondServer second;
  PostalSample main_side(first, {"20210727210551", "20", 2, 15, 0, 21});
  PostalSample message_side(second.server(), {"20210727210551", "20", 2, 15, 0, 21});
  TempDir dir;
  std::ostringstream yml;
  yml << "main_db:\n  host: 127.0.0.1\n  port: " << first.port
      << "\n  username: root\n  password:\n  database: " << main_side.main_db()
      << "\nmessage_db:\n  host: 127.0.0.1\n  port: " << second.server().port
      << "\n  username: root\n  password:\n  prefix: " << message_side.prefix() << "\n";
  replace_file(dir.path() / "postal.yml", yml.str());

  const auto archive = dir.path() / "two.tar";
  const auto created = run_tool(
      {"create", "--config", (dir.path() / "postal.yml").string(), "-o", archive.string()});
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  BOOST_TEST(created.err.find("different servers") != std::string::npos, created.err);
  BOOST_TEST(run_tool({"verify", archive.string()}).exit_code == 0);

  const auto inspected = run_tool({"inspect", "--json", archive.string()});
  const auto j = nlohmann::json::parse(inspected.out);
  BOOST_TEST(j.at("servers").size() == 2u);
  const auto& databases = j.at("databases");
  BOOST_TEST_REQUIRE(databases.size() == 3u);
  BOOST_TEST(databases[0].at("name").get<std::string>() == main_side.main_db());
  BOOST_TEST(databases[0].at("server_index").get<int>() == 0);
  BOOST_TEST(databases[1].at("name").get<std::string>() == message_side.prefix() + "-server-1");
  BOOST_TEST(databases[1].at("server_index").get<int>() == 1);
  BOOST_TEST(databases[2].at("server_index").get<int>() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
