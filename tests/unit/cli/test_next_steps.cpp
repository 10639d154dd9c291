// SPDX-License-Identifier: MIT
// The next steps a command prints, completed with the connection options that were given: a
// step printed without them acts on the default server when copied; one printed unquoted
// breaks on a path with a space; a password must never be printed.
#include "cli/next_steps.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace pbk::cli;

namespace {

// The options as a user gives them to a command.
std::string completed(std::vector<std::string> argv, const std::string& step) {
  CLI::App app;
  ConnectionArgs connection;
  connection.add_to(app);
  argv.insert(argv.begin(), "postal-backup");
  std::vector<const char*> args;
  for (const auto& arg : argv) {
    args.push_back(arg.c_str());
  }
  app.parse(static_cast<int>(args.size()), args.data());
  return NextSteps(connection).complete(step);
}

} // namespace

BOOST_AUTO_TEST_SUITE(NextStepsCompletion)

BOOST_AUTO_TEST_CASE(postal_backup_steps_carry_the_options_config_first) {
  BOOST_TEST(completed({"--user", "admin", "--config", "/etc/postal.yml", "--port", "3307"},
                       "postal-backup finish")
             == "postal-backup finish --config /etc/postal.yml --port 3307 --user admin");
  BOOST_TEST(completed({"--password-file", "/root/db pw"}, "postal-backup rollback")
             == "postal-backup rollback --password-file '/root/db pw'");
  BOOST_TEST(completed({}, "postal-backup finish") == "postal-backup finish");
  BOOST_TEST(completed({"--main-db", "it's"}, "postal-backup finish")
             == "postal-backup finish --main-db 'it'\\''s'");
  // Not a postal-backup step: left as it is.
  BOOST_TEST(completed({"--socket", "/run/mysqld.sock"}, "postal upgrade") == "postal upgrade");
}

BOOST_AUTO_TEST_CASE(the_docker_install_gets_the_docker_form_of_postal_upgrade) {
  pbk::test::TempDir root;
  std::filesystem::create_directories(root / "config");
  std::filesystem::create_directories(root / "install");
  const auto config = (root / "config" / "postal.yml").string();
  BOOST_TEST(completed({"--config", config}, "postal upgrade") == "postal upgrade");
  std::ofstream(root / "install" / "docker-compose.yml") << "services: {}\n";
  BOOST_TEST(completed({"--config", config}, "postal upgrade")
             == "docker compose -p postal -f " + (root / "install" / "docker-compose.yml").string()
                    + " run --rm runner postal upgrade");
  // 1.x kept its postal.yml in /opt/postal/config too, without the compose file.
  BOOST_TEST(completed({"--socket", "/run/mysqld.sock"}, "postal upgrade") == "postal upgrade");
}

BOOST_AUTO_TEST_SUITE_END()
