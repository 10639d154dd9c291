// SPDX-License-Identifier: MIT
// `create` against everything that goes wrong on a real install: bad credentials, a server
// that is not there, missing privileges, an unwritable or full disk, a connection killed
// mid-stream, SIGTERM. Each must end with one error line naming the cause and a fix, the
// documented exit code, and nothing left behind that looks like a backup.
#include "core/db/connection.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

using namespace pbk::test;
using pbk::core::db::Connection;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

std::string qi(const std::string& name) {
  return Connection::quote_identifier(name);
}

std::vector<std::string> create_args(const PostalSample& sample, std::vector<std::string> more) {
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A runtime failure: exit 1, the error line first naming `named`, no archive on stdout.
void check_runtime_error(const CommandResult& result, const std::string& named) {
  BOOST_TEST(result.exit_code == 1, "exit " << result.exit_code << ": " << result.err);
  BOOST_TEST(first_line(result.err).rfind("postal-backup: error: ", 0) == 0u, result.err);
  BOOST_TEST(contains(first_line(result.err), named), "'" << named << "' not in: " << result.err);
  BOOST_TEST(result.out.empty());
}

// connection_args() with `user` and a password file in `dir` instead of root.
// `create` as `user`, its password in a file, writing into DIR/out (created here).
std::vector<std::string> create_as(const PostalSample& sample,
                                   const std::string& user,
                                   const std::string& password,
                                   const TempDir& dir) {
  replace_file(dir / "password", password + "\n");
  fs::create_directory(dir / "out");
  auto args = sample.connection_args();
  args[3] = user;
  args.insert(args.end(), {"--password-file", (dir / "password").string()});
  args.insert(args.end(), {"--output-dir", (dir / "out").string()});
  args.insert(args.begin(), "create");
  return args;
}

// Incompressible rows in a message database, so a backup spends a while on one table (and
// its archive is at least `rows` KiB).
void add_ballast(Connection& connection, const std::string& database, int rows) {
  const std::string table = qi(database) + ".m_ballast";
  connection.execute("CREATE TABLE " + table
                     + " (id INT AUTO_INCREMENT PRIMARY KEY, data VARBINARY(1024))");
  connection.execute("INSERT INTO " + table + " (data) SELECT RANDOM_BYTES(1024) FROM "
                     + qi(database) + ".seq_1_to_" + std::to_string(rows));
}

unsigned unused_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0);
  BOOST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  ::close(fd); // nothing listens there once it is closed
  return ntohs(address.sin_port);
}

// postal-backup started in the background, logging into `log_dir`.
std::unique_ptr<BackgroundProcess> start_tool(std::vector<std::string> args,
                                              const fs::path& log_dir) {
  const char* bin = std::getenv("PBK_BIN");
  args.insert(args.begin(), bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup");
  return std::make_unique<BackgroundProcess>(std::move(args), log_dir);
}

// The id of `user`'s connection while it reads `table`, waiting up to a minute for it.
std::string
connection_reading(Connection& admin, const std::string& user, const std::string& table) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto id = admin.query_value("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = "
                                      + admin.quote(user) + " AND COMMAND = 'Query' AND INFO LIKE "
                                      + admin.quote("SELECT%" + table + "%"));
    if (id) {
      return *id;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  BOOST_FAIL("the backup never read " << table);
  return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(CreateFailures, *boost::unit_test::precondition(require_server))

// Lost if it failed: a cron job with a stale password would fail without saying that the
// password is wrong or where it comes from, or would leave a file that looks like a backup.
BOOST_AUTO_TEST_CASE(wrong_password_says_access_denied_with_a_hint) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 21});
  TestUser user(server, "pbk_pw");
  user.grant("SELECT ON *.*");
  TempDir dir;
  auto args = create_as(sample, user.name(), "not-the-password", dir);
  const auto result = run_tool(args);
  check_runtime_error(result, "cannot connect");
  BOOST_TEST(contains(first_line(result.err), "Access denied"), result.err);
  BOOST_TEST(contains(first_line(result.err), "pbk_pw@" + server.socket), result.err);
  BOOST_TEST(line_count(result.err) == 2u, result.err);
  BOOST_TEST(result.err.substr(result.err.find('\n') + 1).rfind("hint: ", 0) == 0u, result.err);
  BOOST_TEST(contains(result.err, "--password-file"), result.err);
  BOOST_TEST(!contains(result.err, "not-the-password"), "password echoed: " << result.err);
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: with the database down or the wrong socket/port configured, the operator
// would not learn which endpoint was tried.
BOOST_AUTO_TEST_CASE(unreachable_server_names_the_endpoint) {
  TempDir dir;
  fs::create_directory(dir / "out");
  const auto socket = (dir / "no-such.sock").string();
  const auto by_socket = run_tool(
      {"create", "--socket", socket, "--user", "root", "--output-dir", (dir / "out").string()});
  check_runtime_error(by_socket, "cannot connect");
  BOOST_TEST(contains(first_line(by_socket.err), socket), by_socket.err);
  BOOST_TEST(contains(by_socket.err, "hint: "), by_socket.err);

  const auto port = std::to_string(unused_tcp_port());
  const auto by_tcp = run_tool({"create",
                                "--host",
                                "127.0.0.1",
                                "--port",
                                port,
                                "--user",
                                "root",
                                "--output-dir",
                                (dir / "out").string()});
  check_runtime_error(by_tcp, "cannot connect");
  BOOST_TEST(contains(first_line(by_tcp.err), "127.0.0.1:" + port), by_tcp.err);
  BOOST_TEST(contains(by_tcp.err, "--port"), by_tcp.err);
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: a typo in --main-db would give an empty or main-less "backup" instead of
// an error naming the database.
BOOST_AUTO_TEST_CASE(missing_main_database_is_named) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 22});
  TempDir dir;
  auto args = create_args(sample, {"--output-dir", dir.path().string()});
  *(std::find(args.begin(), args.end(), "--main-db") + 1) = "nope";
  const auto result = run_tool(args);
  check_runtime_error(result, "'nope'");
  BOOST_TEST(contains(result.err, "--main-db"), result.err);
  BOOST_TEST(entries(dir.path()).empty());
}

// Lost if it failed: a backup user that cannot see one mail server's message database would
// write a "successful" backup without that server's mail.
BOOST_AUTO_TEST_CASE(invisible_message_database_is_named) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 2, 5, 0, 23});
  TestUser user(server, "pbk_partial");
  user.grant("SELECT ON " + qi(sample.main_db()) + ".*");
  user.grant("SELECT ON " + qi(sample.prefix() + "-server-1") + ".*");
  TempDir dir;
  auto args = create_as(sample, user.name(), TestUser::password(), dir);
  const auto result = run_tool(args);
  check_runtime_error(result, "'" + sample.prefix() + "-server-2'");
  BOOST_TEST(contains(result.err, "GRANT SELECT"), result.err);
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: a user that lost SELECT on one table (it still sees it through another
// privilege) would stop with a bare SQL error and no idea which GRANT is missing.
BOOST_AUTO_TEST_CASE(table_without_select_fails_with_the_grant_to_fix_it) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 24});
  TestUser user(server, "pbk_table");
  user.grant("SELECT ON " + qi(sample.prefix() + "-server-1") + ".*");
  auto admin = Connection::connect(server.root_options());
  const auto tables = admin.query("SHOW TABLES FROM " + qi(sample.main_db())).rows();
  for (const auto& row : tables) {
    const std::string table = qi(sample.main_db()) + "." + qi(*row[0]);
    // `credentials` keeps INSERT (so it stays visible) but loses SELECT.
    user.grant((*row[0] == "credentials" ? "INSERT ON " : "SELECT ON ") + table);
  }
  TempDir dir;
  auto args = create_as(sample, user.name(), TestUser::password(), dir);
  const auto result = run_tool(args);
  check_runtime_error(result, "'" + sample.main_db() + "'");
  BOOST_TEST(contains(result.err, "hint: GRANT SELECT ON `" + sample.main_db() + "`.*"),
             result.err);
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: a table the backup user has no privilege on at all is hidden from it
// by the server, and the backup would be "complete" without it (Postal's credentials!).
BOOST_AUTO_TEST_CASE(table_hidden_from_the_user_is_not_silently_skipped) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 31});
  TestUser user(server, "pbk_hidden");
  user.grant("SELECT ON " + qi(sample.prefix() + "-server-1") + ".*");
  auto admin = Connection::connect(server.root_options());
  const auto tables = admin.query("SHOW TABLES FROM " + qi(sample.main_db())).rows();
  for (const auto& row : tables) {
    if (*row[0] != "credentials") {
      user.grant("SELECT ON " + qi(sample.main_db()) + "." + qi(*row[0]));
    }
  }
  TempDir dir;
  auto args = create_as(sample, user.name(), TestUser::password(), dir);
  const auto result = run_tool(args);
  check_runtime_error(result, "'" + sample.main_db() + "'");
  BOOST_TEST(contains(first_line(result.err), "hidden"), result.err);
  BOOST_TEST(contains(result.err, "hint: GRANT SELECT ON `" + sample.main_db() + "`.*"),
             result.err);
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: a mistyped --output-dir would fail late without naming the path, or leave
// a half-written .partial somewhere.
BOOST_AUTO_TEST_CASE(output_dir_under_a_regular_file_names_the_path) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 25});
  TempDir dir;
  replace_file(dir / "file", "not a directory\n");
  const auto target = (dir / "file" / "backups").string();
  const auto result = run_tool(create_args(sample, {"--output-dir", target}));
  check_runtime_error(result, target);
  BOOST_TEST(contains(first_line(result.err), "Not a directory"), result.err);
  BOOST_TEST(entries(dir.path()) == std::vector<std::string>{"file"});
  BOOST_TEST(file_contents(dir / "file") == "not a directory\n");
}

// Lost if it failed: `--output last-good.tar` run twice would overwrite the last good backup
// (with a failing run, with nothing).
BOOST_AUTO_TEST_CASE(existing_output_file_is_never_overwritten) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 26});
  TempDir dir;
  replace_file(dir / "last-good.tar", "the previous backup\n");
  const auto target = (dir / "last-good.tar").string();
  const auto result = run_tool(create_args(sample, {"--output", target}));
  BOOST_TEST(result.exit_code == 2, result.err);
  BOOST_TEST(contains(first_line(result.err), target), result.err);
  BOOST_TEST(contains(first_line(result.err), "already exists"), result.err);
  BOOST_TEST(file_contents(dir / "last-good.tar") == "the previous backup\n");
  BOOST_TEST(entries(dir.path()) == std::vector<std::string>{"last-good.tar"});
}

// Lost if it failed: `create --output - | upload` on a full disk or a broken pipe would exit 0
// with a truncated archive upstream.
BOOST_AUTO_TEST_CASE(full_stdout_is_a_runtime_error) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 20, 0, 27});
  std::string command = "exec \"$PBK_BIN\"";
  for (const auto& arg : create_args(sample, {"--output", "-"})) {
    command += " '" + arg + "'";
  }
  const auto result = run_command({"sh", "-c", command + " > /dev/full"});
  check_runtime_error(result, "No space left on device");
  BOOST_TEST(contains(first_line(result.err), "standard output"), result.err);
}

// Lost if it failed: a backup filling the disk would leave a .partial eating the last free
// space (so the next night fails too), or a file that looks like a backup.
BOOST_AUTO_TEST_CASE(full_output_dir_leaves_no_partial) {
  const auto& server = test_server();
  TempDir dir;
  const auto small = dir / "small";
  fs::create_directory(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=2m,mode=0700") != 0) {
    BOOST_TEST_MESSAGE("skipped: cannot mount a 2 MiB tmpfs ("
                       << std::strerror(errno) << "); needs root and CAP_SYS_ADMIN");
    return;
  }

  struct Unmount {
    fs::path path;

    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{small};

  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 28});
  auto admin = Connection::connect(server.root_options());
  add_ballast(admin, sample.prefix() + "-server-1", 4000); // 4 MiB of incompressible rows
  const auto result = run_tool(create_args(sample, {"--output-dir", small.string()}));
  check_runtime_error(result, "No space left on device");
  BOOST_TEST(contains(first_line(result.err), small.string()), result.err);
  BOOST_TEST(entries(small).empty());
}

// Lost if it failed: a connection dropped mid-table (server restart, network cut, a DBA's
// KILL) would produce an archive missing the rest of that table, or leave a .partial.
BOOST_AUTO_TEST_CASE(connection_killed_mid_stream_leaves_nothing) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 29});
  auto admin = Connection::connect(server.root_options());
  add_ballast(admin, sample.prefix() + "-server-1", 40000);
  TestUser user(server, "pbk_killed");
  user.grant("SELECT ON *.*");
  TempDir dir;
  auto args = create_as(sample, user.name(), TestUser::password(), dir);
  const auto backup = start_tool(args, dir.path());
  const auto id = connection_reading(admin, user.name(), "m_ballast");
  backup->signal(SIGSTOP); // keeps it mid-stream while the test acts
  BOOST_TEST(entries(dir / "out").size() == 1u);
  admin.execute("KILL CONNECTION " + id);
  backup->signal(SIGCONT);
  const int status = backup->wait();
  BOOST_TEST(status == 1, "exit " << status << ": " << backup->err());
  BOOST_TEST(backup->err().rfind("postal-backup: error: ", 0) == 0u, backup->err());
  BOOST_TEST(contains(first_line(backup->err()), "m_ballast"), backup->err());
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: stopping a backup (systemctl stop, shutdown) would leave a .partial, or
// exit with a code a wrapper reads as "database broken" instead of "run it again".
BOOST_AUTO_TEST_CASE(sigterm_exits_130_and_leaves_nothing) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 30});
  auto admin = Connection::connect(server.root_options());
  add_ballast(admin, sample.prefix() + "-server-1", 40000);
  TestUser user(server, "pbk_stopped");
  user.grant("SELECT ON *.*");
  TempDir dir;
  auto args = create_as(sample, user.name(), TestUser::password(), dir);
  const auto backup = start_tool(args, dir.path());
  (void)connection_reading(admin, user.name(), "m_ballast");
  backup->signal(SIGSTOP);
  BOOST_TEST(entries(dir / "out").size() == 1u); // the .partial being written
  backup->signal(SIGTERM);
  backup->signal(SIGCONT);
  const int status = backup->wait();
  BOOST_TEST(status == 130, "exit " << status << ": " << backup->err());
  BOOST_TEST(contains(first_line(backup->err()), "interrupted"), backup->err());
  BOOST_TEST(line_count(backup->err()) == 1u, backup->err());
  BOOST_TEST(entries(dir / "out").empty());
}

// Lost if it failed: `--config /opt/postal/config/postal.yml`, the documented way to run
// nightly, would not find Postal's databases in either config format, and the archive would
// lack the main or the message databases.
BOOST_AUTO_TEST_CASE(postal_yml_of_both_formats_locates_every_database) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 2, 5, 0, 32});
  TestUser user(server, "postal", "%");
  user.grant("SELECT ON " + qi(sample.main_db()) + ".*");
  user.grant("SELECT ON " + qi(sample.prefix() + "-server-%") + ".*");
  const std::string endpoint = "    host: 127.0.0.1\n    port: " + std::to_string(server.port)
                               + "\n    username: postal\n    password: " + TestUser::password()
                               + "\n";
  const std::map<std::string, std::string> configs{
      {"legacy",
       "web:\n  host: postal.example.com\nmain_db:\n" + endpoint
           + "    database: " + sample.main_db() + "\nmessage_db:\n" + endpoint
           + "    prefix: " + sample.prefix() + "\n"},
      {"v2",
       "version: 2\npostal:\n  web_hostname: postal.example.com\nmain_db:\n" + endpoint
           + "    database: " + sample.main_db() + "\nmessage_db:\n" + endpoint
           + "    database_name_prefix: " + sample.prefix() + "\n"},
  };
  for (const auto& [format, text] : configs) {
    BOOST_TEST_CONTEXT("postal.yml format " << format) {
      TempDir dir;
      replace_file(dir / "postal.yml", text);
      const auto archive = (dir / "backup.tar").string();
      const auto created =
          run_tool({"create", "--config", (dir / "postal.yml").string(), "--output", archive},
                   {"MYSQL_PWD=wrong"}); // --config must not take the password from elsewhere
      BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
      BOOST_TEST(!contains(created.err, "different servers"), created.err);
      BOOST_TEST(run_tool({"verify", "--quiet", archive}).exit_code == 0);
      const auto inspected = run_tool({"inspect", "--json", archive});
      const auto info = nlohmann::json::parse(inspected.out);
      std::vector<std::string> names;
      for (const auto& database : info.at("databases")) {
        names.push_back(database.at("name").get<std::string>());
      }
      BOOST_TEST(names == sample.databases(), boost::test_tools::per_element());
      BOOST_TEST_REQUIRE(info.at("servers").size() == 1u);
      BOOST_TEST(info.at("servers")[0].at("endpoint").get<std::string>()
                 == "postal@127.0.0.1:" + std::to_string(server.port));
      BOOST_TEST(!contains(inspected.out, TestUser::password()));
    }
  }
}

// Lost if it failed: cron would mail every successful night (so failures drown), or a failure
// would arrive as several lines that a log monitor splits apart.
BOOST_AUTO_TEST_CASE(quiet_prints_nothing_on_success_and_one_line_on_failure) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 33});
  TempDir dir;
  const auto ok = run_tool(create_args(sample, {"--quiet", "--output-dir", dir.path().string()}));
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(ok.out.empty(), ok.out);
  BOOST_TEST(ok.err.empty(), ok.err);
  BOOST_TEST(entries(dir.path()).size() == 1u);

  TempDir empty;
  auto wrong = create_args(sample, {"--quiet", "--output-dir", empty.path().string()});
  *(std::find(wrong.begin(), wrong.end(), "--main-db") + 1) = "nope";
  const auto no_main = run_tool(wrong);
  check_runtime_error(no_main, "'nope'");
  BOOST_TEST(line_count(no_main.err) == 1u, no_main.err);
  const auto no_server = run_tool({"--quiet",
                                   "create",
                                   "--socket",
                                   (empty / "none.sock").string(),
                                   "--output-dir",
                                   empty.path().string()});
  check_runtime_error(no_server, "cannot connect");
  BOOST_TEST(line_count(no_server.err) == 1u, no_server.err);
  BOOST_TEST(entries(empty.path()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
