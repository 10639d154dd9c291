// SPDX-License-Identifier: MIT
// A restore that swapped and awaits migrations leaves the live databases in a state Postal
// does not run on. `create` must not archive that half state silently (it refuses unless
// --force), `schema check` must not call it healthy, and a backup whose tables a restore
// swapped under it must name that restore, not a Postal upgrade.
#include "tests/support/background_process.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

using namespace pbk::test;

namespace {

constexpr const char* k_level_1_x = "20180216114344";
constexpr const char* k_level_2_1_4 = "20210727210551";

struct OneXArchive : SampleArchive {
  OneXArchive()
      : SampleArchive({k_level_1_x, "18", 1, 10, 0, 41}) {}
};

struct OneXArchiveCase {
  const std::filesystem::path& archive = suite_shared<OneXArchive>().archive;
  TempDir dir;
};

std::string tool_binary() {
  const char* bin = std::getenv("PBK_BIN");
  return bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup";
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(UnfinishedRestore,
                         OneXArchiveCase,
                         *shared_by_suite<OneXArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: the nightly backup would archive a restore's half-migrated state as if
// it were Postal's, and `schema check` would call it healthy, so Postal could be started on it.
BOOST_AUTO_TEST_CASE(create_and_schema_check_see_a_restore_awaiting_migrations) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored = target.run("restore", {archive.string(), "--quiet"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err);

  const auto output = dir / "during.tar";
  const auto refused = target.run("create", {"--output", output.string()});
  BOOST_TEST(refused.exit_code == 5, refused.err);
  BOOST_TEST(refused.err.find("awaits migrations on this server") != std::string::npos,
             refused.err);
  BOOST_TEST(refused.err.find("--force") != std::string::npos, refused.err);
  BOOST_TEST(!std::filesystem::exists(output));
  const auto forced = target.run("create", {"--output", output.string(), "--force"});
  BOOST_TEST(forced.exit_code == 0, forced.err);
  BOOST_TEST(forced.err.find("warning: restore ") != std::string::npos, forced.err);
  BOOST_TEST(forced.err.find("backing it up as it is (--force)") != std::string::npos, forced.err);

  // On its own the restored main database is healthy at the backup's level.
  const auto check = target.run("schema", {"check"});
  BOOST_TEST(check.exit_code == 3, check.out + check.err);
  BOOST_TEST(check.out.find("restore: restore ") != std::string::npos, check.out);
  BOOST_TEST(check.out.find("awaits migrations: not healthy until it is finished")
                 != std::string::npos,
             check.out);
  const auto quiet = target.run("schema", {"check", "--quiet"});
  BOOST_TEST(quiet.exit_code == 3);
  BOOST_TEST(quiet.err.find("awaits migrations") != std::string::npos, quiet.err);

  const auto upgrade = run_command(
      {"sh", "-c", simulated_upgrade_command(test_server(), target.main_db(), "2.1.4")});
  BOOST_TEST_REQUIRE(upgrade.exit_code == 0, upgrade.err);
  BOOST_TEST_REQUIRE(target.run("finish", {"--quiet"}).exit_code == 0);
  BOOST_TEST(target.run("schema", {"check"}).exit_code == 0);
  const auto after = target.run("create", {"--output", (dir / "after.tar").string(), "--quiet"});
  BOOST_TEST(after.exit_code == 0, after.err);
}

// Lost if it failed: `restore --force` during the nightly backup failed the backup with a
// message blaming a Postal upgrade, and the operator would look for an upgrade that never ran.
BOOST_AUTO_TEST_CASE(a_restore_swapping_tables_under_a_backup_is_named) {
  RestoreTarget target(test_server(), std::nullopt);
  BOOST_TEST_REQUIRE(target.run("restore", {archive.string(), "--quiet"}).exit_code == 0);
  auto args = target.connection_args();
  args.insert(args.begin(), {tool_binary(), "create"});
  args.insert(args.end(), {"--output", (dir / "racing.tar").string(), "--threads", "0"});
  ::setenv("POSTAL_BACKUP_PAUSEPOINT", "create.before_table=8000", 1);
  BackgroundProcess backup(args, dir.path());
  ::unsetenv("POSTAL_BACKUP_PAUSEPOINT");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto forced = target.run("restore", {archive.string(), "--force", "--lock-wait", "20"});
  BOOST_TEST(forced.exit_code == 3, forced.err + forced.out);
  // The backup holds no lock on a table before it reads it, so the swap goes through while the
  // backup pauses before its first table (8 s, far longer than this small restore takes).
  BOOST_TEST(backup.wait() == 1, backup.err());
  BOOST_TEST(backup.err().find("replaced the databases while the backup read them")
                 != std::string::npos,
             backup.err());
  BOOST_TEST(backup.err().find("Postal upgrade") == std::string::npos, backup.err());
}

BOOST_AUTO_TEST_SUITE_END()
