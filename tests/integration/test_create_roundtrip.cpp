// SPDX-License-Identifier: MIT
// create → verify → inspect, then the archive loaded with nothing but tar, zstd and the
// mariadb client (docs/examples/load-by-hand.sh): every table must come back identical.
#include "tests/support/postal_sample.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace pbk::test;
namespace data = boost::unit_test::data;

namespace {

struct Level {
  const char* main;
  const char* message;
  int big_rows;
};

std::ostream& operator<<(std::ostream& out, const Level& level) {
  return out << level.main << "/" << level.message;
}

const Level k_levels[] = {
    {"20180216114344", "18", 1},
    {"20200717083943", "20", 0},
    {"20210727210551", "20", 0},
    {"20240311205229", "20", 0},
};

void load_by_hand(const TestServer& server,
                  const std::filesystem::path& archive,
                  const std::filesystem::path& work,
                  const std::string& prefix) {
  const auto result = run_command({std::string(PBK_SOURCE_DIR) + "/docs/examples/load-by-hand.sh",
                                   archive.string(),
                                   work.string(),
                                   prefix,
                                   "--no-defaults",
                                   "--socket=" + server.socket,
                                   "-uroot"});
  BOOST_TEST_REQUIRE(result.exit_code == 0, "load-by-hand.sh failed: " << result.err);
}

// Loads the archive with tar, zstd and the mariadb client under other names, and compares
// every table with the sample's.
void expect_same_tables_loaded_by_hand(const TestServer& server,
                                       const PostalSample& sample,
                                       const std::filesystem::path& archive,
                                       const std::filesystem::path& work) {
  const std::string restored = "r" + sample.prefix() + "_";
  load_by_hand(server, archive, work, restored);
  auto connection = pbk::core::db::Connection::connect(server.root_options());
  for (const auto& database : sample.databases()) {
    const auto original = table_checksums(connection, database);
    BOOST_TEST(original.size() > 5u);
    BOOST_TEST((original == table_checksums(connection, restored + database)),
               "tables differ in " << database);
    drop_database(server, restored + database);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(CreateRoundTrip, *boost::unit_test::precondition(require_server))

// Lost if it failed: an operator's only copy would not restore to the same data, at any
// Postal schema level, including raw e-mails with binary bytes and 17 MiB messages.
BOOST_DATA_TEST_CASE(every_table_survives_tar_zstd_and_load_data, data::make(k_levels), level) {
  const auto& server = test_server();
  PostalSample sample(server, {level.main, level.message, 2, 30, level.big_rows, 7});
  TempDir dir;
  const auto archive = dir.path() / "backup.tar";
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", archive.string(), "--quiet"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  BOOST_TEST(created.out.empty());
  BOOST_TEST(created.err.empty());

  struct stat st {};

  BOOST_TEST_REQUIRE(::stat(archive.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600);
  BOOST_TEST(!std::filesystem::exists(archive.string() + ".partial"));

  const auto verified = run_tool({"verify", archive.string()});
  BOOST_TEST(verified.exit_code == 0, verified.err);

  expect_same_tables_loaded_by_hand(server, sample, archive, dir.path() / "extract");
}

// Lost if it failed: a backup read on several connections (the default on a machine with
// more than one CPU) could miss, repeat or mix up rows between tables read side by side, and
// an operator could not tell how it was read.
BOOST_DATA_TEST_CASE(every_thread_count_restores_the_same_tables,
                     data::make(std::vector<int>{0, 1, 3}),
                     threads) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 3, 12, 1, 11});
  TempDir dir;
  const auto archive = dir.path() / "backup.tar";
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(),
              {"--output", archive.string(), "--json", "--threads", std::to_string(threads)});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const auto summary = nlohmann::json::parse(created.out);
  const int lanes = std::max(threads, 1);
  BOOST_TEST(summary.at("connections") == lanes);
  BOOST_TEST(summary.at("snapshot_connections") == lanes); // root may use BACKUP STAGE
  BOOST_TEST(run_tool({"verify", archive.string()}).exit_code == 0);
  expect_same_tables_loaded_by_hand(server, sample, archive, dir.path() / "extract");
}

// Lost if it failed: with the documented SELECT-only backup user, backups on several
// connections would fail, or nightly cron mail would fill with warnings; the operator still
// learns from the summary why the snapshot's tables were read by one connection.
BOOST_AUTO_TEST_CASE(select_only_user_reads_the_snapshot_on_one_connection) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 12, 0, 12});
  TestUser user(server, "pbk_select_only");
  user.grant("SELECT ON *.*");
  TempDir dir;
  replace_file(dir.path() / "pw", TestUser::password() + "\n");
  auto args = sample.connection_args();
  args[3] = user.name();
  args.insert(args.begin(), "create");
  args.insert(args.end(),
              {"--password-file", (dir.path() / "pw").string(), "--threads", "2", "--output"});
  auto as_json = args;
  as_json.insert(as_json.end(), {(dir.path() / "a.tar").string(), "--json"});
  const auto json = run_tool(as_json);
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  BOOST_TEST(json.err.empty(), json.err);
  const auto summary = nlohmann::json::parse(json.out);
  BOOST_TEST(summary.at("connections") == 2);
  BOOST_TEST(summary.at("snapshot_connections") == 1);
  args.push_back((dir.path() / "b.tar").string());
  const auto human = run_tool(args);
  BOOST_TEST_REQUIRE(human.exit_code == 0, human.err);
  BOOST_TEST(human.err.find("note: the snapshot's tables were read by one connection, not 2: the "
                            "backup user lacks the RELOAD privilege")
                 != std::string::npos,
             human.err);
  BOOST_TEST(human.err.find("warning") == std::string::npos, human.err);
  auto quiet = args;
  quiet.back() = (dir.path() / "c.tar").string();
  quiet.push_back("--quiet");
  const auto silent = run_tool(quiet);
  BOOST_TEST(silent.exit_code == 0);
  BOOST_TEST(silent.err.empty(), silent.err);
  BOOST_TEST(run_tool({"verify", (dir.path() / "b.tar").string()}).exit_code == 0);
}

// Lost if it failed: scripts reading `inspect --json` (monitoring, restore planning) would
// not find the Postal version, the levels and the per-table row counts.
BOOST_AUTO_TEST_CASE(inspect_json_describes_versions_levels_and_rows) {
  const auto& server = test_server();
  PostalSample sample(server, {"20180216114344", "18", 1, 25, 0, 3});
  TempDir dir;
  const auto archive = dir.path() / "x.tar";
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(),
              {"-o", archive.string(), "--postal-version", "1.0.0-dev", "--tag", "nightly"});
  BOOST_TEST_REQUIRE(run_tool(args).exit_code == 0);

  const auto inspected = run_tool({"inspect", "--json", archive.string()});
  BOOST_TEST_REQUIRE(inspected.exit_code == 0, inspected.err);
  const auto j = nlohmann::json::parse(inspected.out);
  BOOST_TEST(j.at("format_version").get<int>() == 1);
  BOOST_TEST(!j.at("created_at").get<std::string>().empty());
  BOOST_TEST(j.at("postal").at("version").get<std::string>() == "1.0.0-dev");
  BOOST_TEST(j.at("postal").at("version_source").get<std::string>() == "flag");
  BOOST_TEST(j.at("postal").at("main_schema_level").get<std::string>() == "20180216114344");
  const auto migrations = j.at("postal").at("main_migrations").get<std::vector<std::string>>();
  BOOST_TEST(migrations.size() == 9u);
  BOOST_TEST(migrations.back() == "20180216114344");
  BOOST_TEST(j.at("complete").get<bool>());
  const auto& databases = j.at("databases");
  BOOST_TEST_REQUIRE(databases.size() == 2u);
  BOOST_TEST(databases[0].at("role").get<std::string>() == "main");
  BOOST_TEST(databases[1].at("role").get<std::string>() == "message");
  BOOST_TEST(databases[1].at("migration_level").get<int>() == 18);
  BOOST_TEST(databases[1].at("schema_hash").get<std::string>().size() == 64u);
  bool saw_messages = false;
  for (const auto& table : databases[1].at("tables")) {
    if (table.at("name") == "messages") {
      saw_messages = table.at("rows").get<int>() == 25;
    }
  }
  BOOST_TEST(saw_messages);

  // The snapshot's binary log position is what point-in-time recovery replays from.
  const auto& recorded = j.at("servers").at(0);
  BOOST_TEST(recorded.at("log_bin").get<bool>() == server.log_bin);
  if (server.log_bin) {
    BOOST_TEST(!recorded.at("binlog_file").get<std::string>().empty());
    BOOST_TEST(recorded.at("binlog_position").get<std::uint64_t>() > 0u);
    BOOST_TEST(recorded.at("gtid_position").is_string());
  } else {
    BOOST_TEST(recorded.at("binlog_file").is_null());
  }
}

// Lost if it failed: `create -o - | restic backup --stdin` pipelines would get a broken
// stream, and `verify -` could not check one.
BOOST_AUTO_TEST_CASE(stdout_archive_verifies_from_stdin) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 10, 0, 5});
  TempDir dir;
  const auto archive = dir.path() / "piped.tar";
  std::string command = std::string(std::getenv("PBK_BIN")) + " create --output -";
  for (const auto& arg : sample.connection_args()) {
    command += " '" + arg + "'";
  }
  command += " > '" + archive.string() + "'";
  BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
  const auto verified = run_command(
      {"sh", "-c", std::string(std::getenv("PBK_BIN")) + " verify - < '" + archive.string() + "'"});
  BOOST_TEST(verified.exit_code == 0, verified.err);
  const auto listed = run_command({"tar", "-tf", archive.string()});
  BOOST_TEST(listed.out.rfind("backup.json\n", 0) == 0u);
  BOOST_TEST(listed.out.find("manifest.json\n") == listed.out.size() - 14);
}

BOOST_AUTO_TEST_SUITE_END()

// A suite of its own: it sets the server's global time zone, so CTest runs it alone, while
// CreateRoundTrip runs beside other suites (tests/CMakeLists.txt).
BOOST_AUTO_TEST_SUITE(CreateOutsideUtc, *boost::unit_test::precondition(require_server))

// Lost if it failed: on a server whose time zone is not UTC, TIMESTAMP values would come
// back shifted by the offset when loaded as docs/format.md says.
BOOST_AUTO_TEST_CASE(timestamps_survive_a_server_outside_utc) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 5, 0, 8});
  auto admin = pbk::core::db::Connection::connect(server.root_options());
  const std::string table =
      pbk::core::db::Connection::quote_identifier(sample.main_db()) + ".pbk_times";
  admin.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, at TIMESTAMP NULL)");
  admin.execute("SET SESSION time_zone = '+05:00'");
  admin.execute("INSERT INTO " + table + " VALUES (1, '2026-01-01 00:30:00'), (2, NULL)");
  admin.execute("SET GLOBAL time_zone = '+05:00'");
  TempDir dir;
  const auto archive = dir.path() / "tz.tar";
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"-o", archive.string()});
  const auto created = run_tool(args);
  admin.execute("SET GLOBAL time_zone = 'SYSTEM'");
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const std::string restored = "t" + sample.prefix() + "_";
  load_by_hand(server, archive, dir.path() / "extract", restored);
  const auto original = table_checksums(admin, sample.main_db());
  const auto copy = table_checksums(admin, restored + sample.main_db());
  BOOST_TEST(original.at("pbk_times") == copy.at("pbk_times"));
  for (const auto& database : sample.databases()) {
    drop_database(server, restored + database);
  }
}

BOOST_AUTO_TEST_SUITE_END()
