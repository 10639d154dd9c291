// SPDX-License-Identifier: MIT
// The hazards of DESIGN §8 against the real server, run once with binary logging off and
// once with it on (CTest runs this binary against both servers): Postal's DDL at midnight
// and 03:00 must not wait for a backup, tables appearing or vanishing mid-backup are
// recorded rather than fatal, and one backup is one instant across databases.
#include "core/db/db_error.hpp"
#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

using namespace pbk::test;
using pbk::core::db::Connection;

namespace {

std::string day_table(int days_from_today) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())
                   + std::chrono::days(days_from_today);
  const std::chrono::year_month_day ymd(day);
  char name[32];
  std::snprintf(name,
                sizeof name,
                "raw-%04d-%02u-%02u",
                static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return name;
}

std::string q(const std::string& database, const std::string& table) {
  return Connection::quote_identifier(database) + "." + Connection::quote_identifier(table);
}

// A backup writing into a pipe nobody reads stalls inside its snapshot; the test then acts
// as Postal would, and finally drains the pipe so the backup can finish.
class StalledBackup {
public:
  StalledBackup(const std::vector<std::string>& args, const std::filesystem::path& archive)
      : m_archive(archive) {
    std::string command = std::getenv("PBK_BIN");
    for (const auto& arg : args) {
      command += " '" + arg + "'";
    }
    m_pipe = ::popen((command + " 2>" + archive.string() + ".err").c_str(), "r");
    BOOST_TEST_REQUIRE(m_pipe != nullptr);
    char first[4096];
    BOOST_TEST_REQUIRE(std::fread(first, 1, sizeof first, m_pipe) == sizeof first);
    m_data.append(first, sizeof first);
    std::this_thread::sleep_for(std::chrono::milliseconds(700)); // let it fill the pipe
  }

  StalledBackup(const StalledBackup&) = delete;
  StalledBackup& operator=(const StalledBackup&) = delete;

  // A failed check must not leave the backup stalled: its locks would hang the cleanup.
  ~StalledBackup() {
    if (m_pipe != nullptr) {
      (void)finish();
    }
  }

  int finish() {
    char buffer[1 << 16];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, m_pipe)) {
      m_data.append(buffer, n);
    }
    const int status = ::pclose(m_pipe);
    m_pipe = nullptr;
    replace_file(m_archive, m_data);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }

private:
  std::filesystem::path m_archive;
  FILE* m_pipe = nullptr;
  std::string m_data;
};

// Ballast in a table read early, so the backup stalls inside its snapshot; `m_ballast`
// sorts after clicks, deliveries, links, live_stats and loads, and before raw-*.
void add_ballast(Connection& connection, const std::string& database) {
  connection.execute("CREATE TABLE " + q(database, "m_ballast")
                     + " (id INT AUTO_INCREMENT PRIMARY KEY, data VARBINARY(1024))");
  connection.execute("INSERT INTO " + q(database, "m_ballast")
                     + " (data) SELECT RANDOM_BYTES(1024) FROM " + q(database, "seq_1_to_12000"));
}

std::string outcome_of(const nlohmann::json& manifest_tables, const std::string& table) {
  for (const auto& t : manifest_tables) {
    if (t.at("table") == table) {
      return t.at("outcome").get<std::string>();
    }
  }
  return "absent";
}

nlohmann::json manifest_tables(const std::filesystem::path& archive) {
  const auto extracted = run_command({"tar", "-xOf", archive.string(), "manifest.json"});
  return nlohmann::json::parse(extracted.out).at("tables");
}

} // namespace

BOOST_AUTO_TEST_SUITE(SnapshotHazards, *boost::unit_test::precondition(require_server))

// Lost if it failed: Postal's 03:00 retention DROP of old raw tables and its midnight CREATE
// of the new day's table would hang behind a long backup (and everything queued behind them),
// even for a backup user with nothing but SELECT, binary log on or off.
BOOST_AUTO_TEST_CASE(postal_ddl_does_not_wait_for_a_running_backup) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 2, 20, 0, 9});
  // The old raw table lives in the first message database, which a plain in-order dump
  // would already have read (and locked) when the backup stalls in the second one.
  const std::string first_db = sample.prefix() + "-server-1";
  const std::string message_db = sample.prefix() + "-server-2";
  auto admin = Connection::connect(server.root_options());
  add_ballast(admin, message_db);
  const std::string old_raw = "raw-2020-01-01";
  const std::string today_raw = day_table(0);
  for (const auto& [database, table] : {std::pair{first_db, old_raw}, {message_db, today_raw}}) {
    admin.execute("CREATE TABLE IF NOT EXISTS " + q(database, table)
                  + " (id INT AUTO_INCREMENT PRIMARY KEY, data LONGBLOB, next INT)");
    admin.execute("INSERT INTO " + q(database, table) + " (data) VALUES ('mail')");
  }
  admin.execute("CREATE USER IF NOT EXISTS 'pbk_reader'@'localhost' IDENTIFIED BY 'pw'");
  for (const auto& database : sample.databases()) {
    admin.execute("GRANT SELECT ON " + Connection::quote_identifier(database)
                  + ".* TO 'pbk_reader'@'localhost'");
  }
  TempDir dir;
  replace_file(dir.path() / "pw", "pw\n");
  auto args = sample.connection_args();
  args[3] = "pbk_reader";
  args.insert(args.begin(), "create");
  // Two connections: the snapshot's tables on one (no RELOAD), past raw tables on both.
  args.insert(args.end(),
              {"--password-file", (dir.path() / "pw").string(), "--output", "-", "--threads", "2"});
  StalledBackup backup(args, dir.path() / "stalled.tar");

  auto postal = Connection::connect(server.root_options());
  postal.execute("SET SESSION lock_wait_timeout = 5");
  postal.execute("DROP TABLE " + q(first_db, old_raw)); // 03:00 retention
  postal.execute("CREATE TABLE " + q(message_db, day_table(1)) + " LIKE "
                 + q(message_db, today_raw));
  postal.execute("DROP TABLE " + q(message_db, today_raw)); // unread, replaced
  postal.execute("CREATE TABLE " + q(message_db, today_raw) + " LIKE "
                 + q(message_db, day_table(1)));

  const int status = backup.finish();
  BOOST_TEST_REQUIRE(status == 0,
                     "exit " << status << ": " << file_contents(dir.path() / "stalled.tar.err"));
  const auto verified = run_tool({"verify", (dir.path() / "stalled.tar").string()});
  BOOST_TEST(verified.exit_code == 0, verified.err);
  const auto tables = manifest_tables(dir.path() / "stalled.tar");
  BOOST_TEST(outcome_of(tables, old_raw) == "dropped_during_backup");
  BOOST_TEST(outcome_of(tables, today_raw) == "created_after_snapshot");
  BOOST_TEST(outcome_of(tables, day_table(1)) == "absent");
  BOOST_TEST(outcome_of(tables, "messages") == "complete");
  admin.execute("DROP USER 'pbk_reader'@'localhost'");
}

// Lost if it failed: with a user allowed to switch off binary logging for its session (or
// with binary logging off), a table already dumped would stay locked until the backup ends,
// so an ALTER on it would hang.
BOOST_AUTO_TEST_CASE(tables_already_read_are_released_when_the_server_allows) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 20, 0, 4});
  const std::string message_db = sample.prefix() + "-server-1";
  auto admin = Connection::connect(server.root_options());
  add_ballast(admin, message_db);
  TempDir dir;
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", "-", "--threads", "2"}); // two snapshots, one instant
  StalledBackup backup(args, dir.path() / "x.tar");
  admin.execute("SET SESSION lock_wait_timeout = 5");
  admin.execute("ALTER TABLE " + q(message_db, "clicks") + " ADD COLUMN pbk_probe INT");
  const int status = backup.finish();
  BOOST_TEST(status == 0, "exit " << status << ": " << file_contents(dir.path() / "x.tar.err"));
  BOOST_TEST(run_tool({"verify", (dir.path() / "x.tar").string()}).exit_code == 0);
}

// Lost if it failed: a backup taken while Postal writes could hold a message without its
// delivery (or the reverse) across the main and message databases.
BOOST_AUTO_TEST_CASE(one_instant_across_databases_under_a_concurrent_writer) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 2});
  const std::string main_db = sample.main_db();
  const std::string message_db = sample.prefix() + "-server-1";
  auto admin = Connection::connect(server.root_options());
  admin.execute("CREATE TABLE " + q(main_db, "pbk_pairs") + " (id INT PRIMARY KEY)");
  admin.execute("CREATE TABLE " + q(message_db, "pbk_pairs") + " (id INT PRIMARY KEY)");
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto connection = Connection::connect(server.root_options());
    for (int id = 1; !stop; ++id) {
      connection.execute("START TRANSACTION");
      connection.execute("INSERT INTO " + q(main_db, "pbk_pairs") + " VALUES (" + std::to_string(id)
                         + ")");
      connection.execute("INSERT INTO " + q(message_db, "pbk_pairs") + " VALUES ("
                         + std::to_string(id) + ")");
      connection.execute("COMMIT");
    }
  });
  TempDir dir;
  for (int round = 0; round < 3; ++round) {
    const auto archive = dir.path() / ("c" + std::to_string(round) + ".tar");
    auto args = sample.connection_args();
    args.insert(args.begin(), "create");
    // Round 0 reads on one connection, the others on two or three sharing one instant.
    args.insert(args.end(),
                {"-o", archive.string(), "--quiet", "--threads", std::to_string(round + 1)});
    const auto result = run_tool(args);
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    std::uint64_t main_rows = 0;
    std::uint64_t message_rows = 0;
    for (const auto& t : manifest_tables(archive)) {
      if (t.at("table") == "pbk_pairs") {
        (t.at("database") == main_db ? main_rows : message_rows) =
            t.at("rows").get<std::uint64_t>();
      }
    }
    BOOST_TEST(main_rows > 0u);
    BOOST_TEST(main_rows == message_rows);
  }
  stop = true;
  writer.join();
}

BOOST_AUTO_TEST_SUITE_END()
