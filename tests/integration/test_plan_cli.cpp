// SPDX-License-Identifier: MIT
// `plan` end to end: a real backup of a 1.x install, judged against a named release, a
// target server's main DB loaded from the fixtures, and read from a pipe.
#include "tests/support/archive_members.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace pbk::test;
using Json = nlohmann::json;

namespace {

// A backup of a Postal 1.x install (main level 20180216114344, message DBs at 18) made
// without --postal-version, as most 1.x operators would have.
struct OneXBackup {
  OneXBackup()
      : sample(test_server(), {"20180216114344", "18", 2, 10, 0, 3}),
        archive(dir / "backup.tar") {
    create_archive(sample, archive);
  }

  [[nodiscard]] Json expected_message_missing() const {
    return {{sample.prefix() + "-server-1", {19, 20}}, {sample.prefix() + "-server-2", {19, 20}}};
  }

  PostalSample sample;
  TempDir dir;
  std::filesystem::path archive;
};

// The suite's backup, read only.
struct OneXBackupCase {
  [[nodiscard]] Json expected_message_missing() const { return shared.expected_message_missing(); }

  const OneXBackup& shared = suite_shared<OneXBackup>();
  const std::filesystem::path& archive = shared.archive;
  TempDir dir;
};

// A byte a terminal could act on: C0 controls but LF, DEL, and the C1 controls (U+0080 to
// U+009F, encoded C2 80 to C2 9F).
bool holds_control_bytes(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F
        || (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F)) {
      return true;
    }
  }
  return false;
}

const Json k_uuid_and_priority = {"20200717083943", "20210727210551"};

} // namespace

BOOST_FIXTURE_TEST_SUITE(PlanCli,
                         OneXBackupCase,
                         *shared_by_suite<OneXBackup>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: an operator moving a 1.x backup to 2.1.4 would not be told that
// credentials.uuid and the message-DB utf8mb4 conversion must still be applied.
BOOST_AUTO_TEST_CASE(one_x_backup_into_2_1_4_lists_the_missing_migrations) {
  const auto result = run_tool({"plan", archive.string(), "--target-version", "2.1.4", "--json"});
  BOOST_TEST(result.exit_code == 3, result.err);
  const Json plan = Json::parse(result.out);
  BOOST_TEST(plan.at("verdict") == "migrations_required");
  BOOST_TEST(plan.at("backup").at("version").is_null());
  BOOST_TEST(plan.at("backup").at("release_range") == "1.x 2018-02-16 … 2020-07-17");
  BOOST_TEST(plan.at("backup").at("main_schema_level") == "20180216114344");
  BOOST_TEST(plan.at("target").at("version") == "2.1.4");
  BOOST_TEST(plan.at("target").at("main_schema_level") == "20210727210551");
  BOOST_TEST(plan.at("main_migrations_missing") == k_uuid_and_priority);
  BOOST_TEST(plan.at("main_migration_names").at("20200717083943") == "add_uuid_to_credentials");
  BOOST_TEST(plan.at("message_db_migrations_missing") == expected_message_missing());
  BOOST_TEST(plan.at("reason").is_null());
  BOOST_TEST(plan.at("commands") == Json({"postal upgrade", "postal-backup finish"}));
  BOOST_TEST(plan.at("warnings").size() == 1u);

  const auto human = run_tool({"plan", archive.string(), "--target-version", "2.1.4"});
  BOOST_TEST(human.exit_code == 3);
  BOOST_TEST(human.out.find("20200717083943 add_uuid_to_credentials") != std::string::npos,
             human.out);
  BOOST_TEST(human.err.find("warning: the backup's Postal version is unknown") != std::string::npos,
             human.err);
}

// Lost if it failed: a mistyped target release would yield a plan against nothing instead of
// a refusal that lists what can be named.
BOOST_AUTO_TEST_CASE(unknown_or_missing_target_is_refused) {
  const auto unknown = run_tool({"plan", archive.string(), "--target-version", "9.9.9"});
  BOOST_TEST(unknown.exit_code == 5);
  BOOST_TEST(unknown.err.find("unknown target release 9.9.9") != std::string::npos, unknown.err);
  BOOST_TEST(unknown.err.find("2.1.4, 2.1.5") != std::string::npos, unknown.err);
  BOOST_TEST(unknown.err.find("3.3.6") != std::string::npos, unknown.err);

  const auto none = run_tool({"plan", archive.string()});
  BOOST_TEST(none.exit_code == 5);
  BOOST_TEST(none.err.find("no target release: name it with --target-version V, --postal-app "
                           "DIR, or connection options of the target server")
                 != std::string::npos,
             none.err);
}

// Lost if it failed: after `postal initialize` of the new release on the target server, the
// plan could not read the target from it and the operator would have to know the version; or
// a new empty server would be refused although the restore goes ahead.
BOOST_AUTO_TEST_CASE(target_read_from_the_servers_main_db) {
  ScratchDatabase target(test_server());
  run_sql_file(test_server(),
               target.name(),
               std::string(PBK_SOURCE_DIR)
                   + "/tests/fixtures/postal/schema/main/20210727210551.sql");
  const auto result = run_tool({"plan",
                                archive.string(),
                                "--socket",
                                test_server().socket,
                                "--user",
                                "root",
                                "--main-db",
                                target.name(),
                                "--json"});
  BOOST_TEST(result.exit_code == 3, result.err);
  const Json plan = Json::parse(result.out);
  BOOST_TEST(plan.at("target").at("version").is_null());
  BOOST_TEST(plan.at("target").at("main_schema_level") == "20210727210551");
  BOOST_TEST(plan.at("target").at("release_range")
             == "1.x 2021-07-28 … 2021-07-30, 2.0.0-beta.1–2.2.2");
  BOOST_TEST(plan.at("main_migrations_missing") == k_uuid_and_priority);
  BOOST_TEST(plan.at("message_db_migrations_missing") == expected_message_missing());

  // A server without Postal's main database is a disaster-recovery target, as for restore:
  // the backup's own release (RestoreDryRun holds plan and restore to one answer).
  ScratchDatabase empty(test_server());
  const auto recovery = run_tool({"plan",
                                  archive.string(),
                                  "--socket",
                                  test_server().socket,
                                  "--user",
                                  "root",
                                  "--main-db",
                                  empty.name(),
                                  "--message-db-prefix",
                                  empty.name(),
                                  "--json"});
  BOOST_TEST(recovery.exit_code == 0, recovery.err);
  BOOST_TEST(Json::parse(recovery.out).at("target").at("main_schema_level") == "20180216114344");
}

// Lost if it failed: a 1.x backup planned against a target server at its own main level would
// be told to run message migration 19 (of the one-hour 19-legacy variant) instead of ready.
BOOST_AUTO_TEST_CASE(target_server_at_the_backups_level_is_ready) {
  ScratchDatabase target(test_server());
  run_sql_file(test_server(),
               target.name(),
               std::string(PBK_SOURCE_DIR)
                   + "/tests/fixtures/postal/schema/main/20180216114344.sql");
  const auto result = run_tool({"plan",
                                archive.string(),
                                "--socket",
                                test_server().socket,
                                "--user",
                                "root",
                                "--main-db",
                                target.name(),
                                "--json"});
  BOOST_TEST(result.exit_code == 0, result.err);
  const Json plan = Json::parse(result.out);
  BOOST_TEST(plan.at("verdict") == "ready");
  BOOST_TEST(plan.at("target").at("message_db_schema_level") == "18");
  BOOST_TEST(plan.at("message_db_migrations_missing").empty());
  BOOST_TEST(plan.at("commands").empty());
}

// Lost if it failed: a message DB of the 2020 renumbering (recorded 20, tables never converted
// to utf8mb4) would be restored into 2.1.4 as if only the main DB needed migrating, and stay
// utf8 for good since Postal never runs 19 on it.
BOOST_AUTO_TEST_CASE(renumbered_message_db_is_told_to_convert_by_hand) {
  PostalSample legacy(test_server(), {"20200717083943", "20-from-19-legacy", 1, 10, 0, 4});
  const auto legacy_archive = dir / "legacy.tar";
  auto args = legacy.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", legacy_archive.string(), "--quiet"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);

  const auto result =
      run_tool({"plan", legacy_archive.string(), "--target-version", "2.1.4", "--json"});
  BOOST_TEST(result.exit_code == 3, result.err);
  const Json plan = Json::parse(result.out);
  BOOST_TEST(plan.at("verdict") == "migrations_required");
  BOOST_TEST(plan.at("main_migrations_missing") == Json({"20210727210551"}));
  BOOST_TEST(plan.at("message_db_migrations_missing")
             == Json({{legacy.prefix() + "-server-1", {19}}}));
  const auto& commands = plan.at("commands");
  BOOST_REQUIRE(commands.size() == 3u);
  // The conversion first (Postal's order, 19 before 20), as SQL for that database.
  BOOST_TEST(commands[0].get<std::string>().find(
                 "by hand in " + legacy.prefix()
                 + "-server-1 (as the current database): ALTER DATABASE CHARACTER SET utf8mb4")
                 != std::string::npos,
             commands[0]);
  BOOST_TEST(commands[1] == "postal upgrade");
  BOOST_TEST(commands[2] == "postal-backup finish");
  BOOST_TEST(plan.at("warnings").dump().find("Postal will not run migration 19")
                 != std::string::npos,
             plan.at("warnings").dump());
}

// Lost if it failed: `ssh backup-host cat x.tar | postal-backup plan -` would not work, or
// would have to read the whole archive to answer.
BOOST_AUTO_TEST_CASE(plan_reads_backup_json_from_a_pipe) {
  const char* bin = std::getenv("PBK_BIN");
  const auto result = run_command({bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup",
                                   "plan",
                                   "-",
                                   "--target-version",
                                   "2.1.4",
                                   "--json"},
                                  file_contents(archive));
  BOOST_TEST(result.exit_code == 3, result.err);
  BOOST_TEST(Json::parse(result.out).at("main_migrations_missing") == k_uuid_and_priority);

  const auto quiet = run_tool({"plan", archive.string(), "--target-version", "2.1.4", "-q"});
  BOOST_TEST(quiet.exit_code == 3);
  BOOST_TEST(quiet.out.empty());
  BOOST_TEST(std::count(quiet.err.begin(), quiet.err.end(), '\n') == 1, quiet.err);
}

// Lost if it failed: whoever made an archive (or can write to the backup directory) could
// clear the operator's screen, rewrite earlier lines or set the terminal's title through a
// tag, a version or a database name printed by inspect, list or plan, or quoted in an error.
BOOST_AUTO_TEST_CASE(archive_text_never_reaches_the_terminal_raw) {
  TempDir hostile_dir;
  const auto hostile = hostile_dir / "hostile.tar";
  std::filesystem::copy_file(archive, hostile);
  auto members = read_archive_members(hostile);
  BOOST_TEST_REQUIRE(members.front().first == "backup.json");
  auto info = Json::parse(members.front().second);
  info["tag"] = "\x1b]0;owned\x07\x1b[2J";
  info["postal"]["version"] = "2.1.4\xc2\x9b"
                              "31m\x7f";
  info["postal"]["release_range"] = "\x1b[1A\r1.x";
  info["databases"][0]["name"] = "postal\x1b[8m";
  members.front().second = info.dump();
  write_archive_members(hostile, members);
  replace_file(hostile_dir / "\x1b[2Jjunk.tar", "not an archive");

  std::vector<CommandResult> results;
  results.push_back(run_tool({"inspect", hostile.string()}));
  results.push_back(run_tool({"list", hostile_dir.path().string()}));
  results.push_back(run_tool({"plan", hostile.string(), "--target-version", "2.1.4"}));
  results.push_back(run_tool({"inspect", hostile.string(), "--json"}));
  results.push_back(run_tool({"list", hostile_dir.path().string(), "--json"}));
  info["databases"][1]["role"] = "\x1b[2Jmain";
  members.front().second = info.dump();
  write_archive_members(hostile, members);
  const auto refused = run_tool({"plan", hostile.string(), "--target-version", "2.1.4"});
  BOOST_TEST(refused.exit_code == 4, refused.err);
  BOOST_TEST(refused.err.find("\\x1b[2Jmain") != std::string::npos, refused.err);
  results.push_back(refused);
  for (const auto& result : results) {
    BOOST_TEST(!holds_control_bytes(result.out), result.out);
    BOOST_TEST(!holds_control_bytes(result.err), result.err);
  }
  BOOST_TEST(results[0].exit_code == 0, results[0].err);
  BOOST_TEST(results[0].out.find("tag \\x1b]0;owned\\x07\\x1b[2J") != std::string::npos,
             results[0].out);
  BOOST_TEST(results[1].out.find("\\x1b[2Jjunk.tar") != std::string::npos, results[1].out);
  BOOST_TEST(results[2].out.find("Postal 2.1.4\\xc2\\x9b31m\\x7f") != std::string::npos,
             results[2].out);
  // JSON stays JSON, with the same text.
  BOOST_TEST(Json::parse(results[3].out).at("tag") == info["tag"]);
}

BOOST_AUTO_TEST_SUITE_END()
