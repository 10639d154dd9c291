// SPDX-License-Identifier: MIT
// What a guarded restore promises when things go wrong, on the real server: refusals write
// nothing; a damaged archive is caught before the swap; a restore killed (SIGKILL) while
// loading, just before, during or after its swap, or during a rollback, leaves the live
// databases either exactly as they were or recoverable with `rollback` to exactly that.
#include "tests/support/background_process.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <thread>

using namespace pbk::test;
using Json = nlohmann::json;

namespace {

constexpr const char* k_level_2_1_4 = "20210727210551";
constexpr int k_killed = 128 + SIGKILL;

struct SafetyArchive {
  SafetyArchive()
      : source(test_server(), {"20180216114344", "18", 1, 30, 0, 5}) {
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", archive.string(), "--quiet", "--chunk-size", "1"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
};

// The suite's archive, read only; each case damages copies in a directory of its own.
struct SafetyArchiveCase {
  const std::filesystem::path& archive = suite_shared<SafetyArchive>().archive;
  TempDir dir;
};

// The live databases after a refusal or a recovered failure: exactly `before`, and nothing of
// the restore left behind.
void expect_untouched(const RestoreTarget& target, const InstallChecksums& before) {
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

std::string flipped_inside(const std::string& archive, const std::string& member_path) {
  auto data = archive;
  const auto header = data.find(member_path);
  BOOST_TEST_REQUIRE(header != std::string::npos);
  data[header + 512 * 3 + 40] ^= 0x01; // inside the member's data, past its pax headers
  return data;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(RestoreSafety,
                         SafetyArchiveCase,
                         *shared_by_suite<SafetyArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a restore could overwrite a newer install with an older backup, or go
// ahead against a release nobody can check, or under a running Postal.
BOOST_AUTO_TEST_CASE(refusals_write_nothing) {
  RestoreTarget older(test_server(), "20170428153353");
  const auto older_before = older.checksums();
  const auto downgrade = older.run("restore", {archive.string()});
  BOOST_TEST(downgrade.exit_code == 5, downgrade.err);
  BOOST_TEST(downgrade.err.find("refused") != std::string::npos, downgrade.err);
  expect_untouched(older, older_before);

  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  const auto unknown = target.run("restore", {archive.string(), "--target-version", "9.9.9"});
  BOOST_TEST(unknown.exit_code == 5, unknown.err);
  expect_untouched(target, before);

  {
    auto postal = pbk::core::db::Connection::connect(test_server().root_options());
    postal.execute("USE " + pbk::core::db::Connection::quote_identifier(target.main_db()));
    const auto connected = target.run("restore", {archive.string()});
    BOOST_TEST(connected.exit_code == 5, connected.err);
    BOOST_TEST(connected.err.find("Postal is still connected to " + target.main_db())
                   != std::string::npos,
               connected.err);
    expect_untouched(target, before);
  }

  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  {
    // A load method the server cannot take is refused before the journal records anything.
    const auto journal_rows = [&]() -> std::string {
      const auto exists = admin.query_value(
          "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'postal_backup' "
          "AND TABLE_NAME = 'restores'");
      return exists == "0" ? "none"
                           : admin.query_value("SELECT COUNT(*) FROM postal_backup.restores")
                                 .value_or("none");
    };
    const auto journal_before = journal_rows();
    admin.execute("SET GLOBAL local_infile = 0");
    const auto method = target.run("restore", {archive.string(), "--load-method", "load-data"});
    admin.execute("SET GLOBAL local_infile = 1");
    BOOST_TEST(method.exit_code == 5, method.err);
    BOOST_TEST(method.err.rfind("postal-backup: error: --load-method load-data: the server has "
                                "local_infile=OFF; nothing was written\n",
                                0)
                   == 0U,
               method.err);
    BOOST_TEST(journal_rows() == journal_before);
    expect_untouched(target, before);
  }
  admin.execute("INSERT INTO " + pbk::core::db::Connection::quote_identifier(target.main_db())
                + ".users (uuid, first_name, email_address) VALUES ('u', 'Live', 'l@example.com')");
  const auto with_data = target.checksums();
  const auto holding = target.run("restore", {archive.string()});
  BOOST_TEST(holding.exit_code == 5, holding.err);
  BOOST_TEST(holding.err.find("already holds data") != std::string::npos, holding.err);
  expect_untouched(target, with_data);
}

// Lost if it failed: following the refusal's own hint (--force) would drop the replaced data
// as soon as a restore that needs no migrations finished, and `rollback` would refuse to
// bring it back.
BOOST_AUTO_TEST_CASE(following_the_force_hint_keeps_the_replaced_data) {
  RestoreTarget target(test_server(), std::nullopt);
  BOOST_TEST_REQUIRE(target.run("restore", {archive.string(), "--quiet"}).exit_code == 0);
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  admin.execute("INSERT INTO " + pbk::core::db::Connection::quote_identifier(target.main_db())
                + ".users (uuid, first_name, email_address) VALUES ('u', 'Live', 'l@example.com')");
  const auto with_data = target.checksums();

  const auto refused = target.run("restore", {archive.string()});
  BOOST_TEST_REQUIRE(refused.exit_code == 5, refused.err);
  // The option the hint names, as printed: "hint: ... pass --force to replace them (...)".
  const auto at = refused.err.find("pass --");
  BOOST_TEST_REQUIRE(at != std::string::npos, refused.err);
  const auto option = refused.err.substr(at + 5, refused.err.find(' ', at + 5) - at - 5);
  BOOST_TEST(option == "--force");

  const auto forced = target.run("restore", {archive.string(), option});
  BOOST_TEST(forced.exit_code == 3, forced.err + forced.out);
  BOOST_TEST(forced.out.find("the data it replaced is kept in pbk_") != std::string::npos,
             forced.out);
  const auto kept = databases_like(test_server(), "pbk\\_%\\_old\\_0"); // the main database
  BOOST_TEST_REQUIRE(kept.size() == 1u);
  BOOST_TEST(admin
                 .query_value("SELECT COUNT(*) FROM "
                              + pbk::core::db::Connection::quote_identifier(kept.front())
                              + ".users WHERE email_address = 'l@example.com'")
                 .value_or("")
             == "1");
  const auto rolled_back = target.run("rollback");
  BOOST_TEST(rolled_back.exit_code == 0, rolled_back.err + rolled_back.out);
  expect_untouched(target, with_data);

  // `finish` ends the restore and still keeps the replaced data, saying where.
  BOOST_TEST_REQUIRE(target.run("restore", {archive.string(), option, "--quiet"}).exit_code == 3);
  const auto finished = target.run("finish");
  BOOST_TEST(finished.exit_code == 0, finished.err + finished.out);
  BOOST_TEST(finished.err.find("the replaced data is kept in pbk_") != std::string::npos,
             finished.err);
  BOOST_TEST(databases_like(test_server(), "pbk\\_%\\_old\\_0").size() == 1u);
  BOOST_TEST(target.checksums() != with_data);
}

// Lost if it failed: a bit flipped on the backup disk would be loaded into the live install.
BOOST_AUTO_TEST_CASE(damaged_or_truncated_archives_leave_live_untouched) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  const auto data = file_contents(archive);
  const auto damaged = dir / "damaged.tar";
  replace_file(damaged, flipped_inside(data, "/deliveries/rows-000001.tsv.zst"));
  const auto from_file = target.run("restore", {damaged.string()});
  BOOST_TEST(from_file.exit_code == 4, from_file.err);
  BOOST_TEST(from_file.err.find("deliveries/rows-000001.tsv.zst") != std::string::npos,
             from_file.err);
  expect_untouched(target, before);

  auto args = target.connection_args();
  args.insert(args.begin(), {std::getenv("PBK_BIN"), "restore", "-"});
  const auto cut = run_command(args, data.substr(0, data.size() * 2 / 3));
  BOOST_TEST(cut.exit_code == 4, cut.err);
  expect_untouched(target, before);

  const auto truncated = dir / "truncated.tar";
  replace_file(truncated, data.substr(0, data.size() - 4096));
  const auto from_truncated = target.run("restore", {truncated.string()});
  BOOST_TEST(from_truncated.exit_code == 4, from_truncated.err);
  expect_untouched(target, before);
}

// Lost if it failed: a restore killed while loading (OOM killer, reboot, `kill -9`) would
// damage the live install or block every later restore.
BOOST_AUTO_TEST_CASE(killed_while_loading_leaves_live_as_it_was) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  for (const char* point :
       {"restore.after_member#1", "restore.after_member#7", "restore.before_swap"}) {
    BOOST_TEST_CONTEXT(point) {
      const auto killed = target.run(
          "restore", {archive.string()}, {std::string("POSTAL_BACKUP_FAILPOINT=") + point});
      BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
      BOOST_TEST(target.checksums() == before);
      const auto status = target.run("status", {"--json"});
      BOOST_TEST(status.exit_code == 0, status.err);
      BOOST_TEST(Json::parse(status.out).at("state") == "abandoned");
    }
  }
  // A new restore cleans the abandoned one up and goes ahead.
  const auto again = target.run("restore", {archive.string()});
  BOOST_TEST(again.exit_code == 3, again.err + again.out);
  BOOST_TEST_REQUIRE(target.run("rollback").exit_code == 0);
  expect_untouched(target, before);
}

// Lost if it failed: a restore killed right after its swap, or while rolling back, could
// not be undone, and the operator would be left with neither the old nor a finished install.
BOOST_AUTO_TEST_CASE(killed_after_the_swap_or_in_rollback_is_rolled_back) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  const auto killed =
      target.run("restore", {archive.string()}, {"POSTAL_BACKUP_FAILPOINT=restore.after_swap"});
  BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
  BOOST_TEST(target.checksums() != before);
  BOOST_TEST(target.run("status").exit_code == 3);
  const auto second = target.run("restore", {archive.string()});
  BOOST_TEST(second.exit_code == 5, second.err);
  BOOST_TEST(second.err.find("not finished") != std::string::npos, second.err);

  const auto interrupted =
      target.run("rollback", {}, {"POSTAL_BACKUP_FAILPOINT=rollback.after_swap_back"});
  BOOST_TEST_REQUIRE(interrupted.exit_code == k_killed, interrupted.err);
  // The tables are back; only the (now empty) message databases the restore created remain.
  BOOST_TEST(target.checksums().at(target.main_db()) == before.at(target.main_db()));
  const auto rollback = target.run("rollback");
  BOOST_TEST(rollback.exit_code == 0, rollback.err + rollback.out);
  expect_untouched(target, before);
  BOOST_TEST(target.run("status").exit_code == 0);
}

// Lost if it failed: a restore killed while its RENAME waits behind Postal's table locks
// could leave a half-swapped install. Either the swap happened whole or not at all.
BOOST_AUTO_TEST_CASE(killed_during_the_swap_is_all_or_nothing) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  auto blocker = pbk::core::db::Connection::connect(test_server().root_options());
  blocker.execute("START TRANSACTION");
  (void)blocker.query("SELECT COUNT(*) FROM "
                      + pbk::core::db::Connection::quote_identifier(target.main_db()) + ".users");
  auto args = target.connection_args();
  args.insert(args.begin(), {std::getenv("PBK_BIN"), "restore", archive.string(), "--force"});
  BackgroundProcess restore(args, dir.path());
  auto watcher = pbk::core::db::Connection::connect(test_server().root_options());
  bool waiting = false;
  for (int i = 0; i < 600 && !waiting; ++i) {
    waiting = watcher
                  .query_value("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO "
                               "LIKE 'RENAME TABLE%' AND STATE LIKE '%metadata lock%'")
                  .value_or("0")
              != "0";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_TEST_REQUIRE(waiting, restore.err());
  restore.signal(SIGKILL);
  BOOST_TEST(restore.wait() == k_killed);
  blocker.execute("COMMIT");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto status = Json::parse(target.run("status", {"--json"}).out);
  if (status.at("swapped") == true) {
    BOOST_TEST(target.checksums() != before);
  } else {
    BOOST_TEST(target.checksums() == before);
  }
  BOOST_TEST(target.run("rollback").exit_code == 0);
  expect_untouched(target, before);
}

BOOST_AUTO_TEST_SUITE_END()
