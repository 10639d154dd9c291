// SPDX-License-Identifier: MIT
// scripts/postal-upgrade-guard: the upgrade command runs only after a pre-upgrade backup was
// written and verified; when either step fails nothing runs and the exit code says why.
#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>

using namespace pbk::test;
namespace fs = std::filesystem;

namespace {

std::string guard() {
  return std::string(PBK_SOURCE_DIR) + "/scripts/postal-upgrade-guard";
}

std::string tool() {
  const char* bin = std::getenv("PBK_BIN");
  return bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup";
}

// guard <connection> --output-dir DIR/out -- sh -c 'echo "$@" > DIR/ran' sh upgraded
CommandResult run_guard(const PostalSample& sample,
                        const TempDir& dir,
                        const std::string& binary,
                        std::vector<std::string> more = {}) {
  std::vector<std::string> argv{guard()};
  for (const auto& arg : sample.connection_args()) {
    argv.push_back(arg);
  }
  argv.insert(argv.end(), more.begin(), more.end());
  argv.insert(argv.end(), {"--output-dir", (dir / "out").string(), "--"});
  argv.insert(argv.end(),
              {"sh", "-c", "echo \"$@\" > '" + (dir / "ran").string() + "'", "sh", "upgraded"});
  return run_command(argv, {}, {"POSTAL_BACKUP=" + binary});
}

std::vector<fs::path> archives(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    found.push_back(entry.path());
  }
  return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(UpgradeGuard, *boost::unit_test::precondition(require_server))

// Lost if it failed: `postal upgrade` would run with no way back, or the guard would block
// every upgrade although the snapshot is good.
BOOST_AUTO_TEST_CASE(upgrade_runs_after_a_verified_pre_upgrade_snapshot) {
  PostalSample sample(test_server(), {"20180216114344", "18", 1, 10, 0, 31});
  TempDir dir;
  fs::create_directory(dir / "out");
  const auto result = run_guard(sample, dir, tool());
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  BOOST_TEST(file_contents(dir / "ran") == "upgraded\n");
  const auto written = archives(dir / "out");
  BOOST_TEST_REQUIRE(written.size() == 1u);
  BOOST_TEST(written[0].filename().string().find("-pre-upgrade.tar") != std::string::npos,
             written[0]);
  const auto inspected = run_tool({"inspect", "--json", written[0].string()});
  BOOST_TEST(inspected.out.find("\"tag\": \"pre-upgrade\"") != std::string::npos, inspected.out);
}

// Lost if it failed: an upgrade would run although no backup could be taken.
BOOST_AUTO_TEST_CASE(a_failed_backup_stops_the_upgrade) {
  PostalSample sample(test_server(), {"20180216114344", "18", 1, 10, 0, 32});
  TempDir dir;
  const auto result = run_guard(sample, dir, tool()); // DIR/out does not exist: exit 1
  BOOST_TEST(result.exit_code == 1, result.err);
  BOOST_TEST(result.err.find("the upgrade was not run") != std::string::npos, result.err);
  BOOST_TEST(!fs::exists(dir / "ran"));
}

// Lost if it failed: an upgrade would run on the strength of a snapshot that cannot be read.
BOOST_AUTO_TEST_CASE(a_failed_verification_stops_the_upgrade) {
  PostalSample sample(test_server(), {"20180216114344", "18", 1, 10, 0, 33});
  TempDir dir;
  fs::create_directory(dir / "out");
  // A postal-backup whose `verify` finds damage (exit 4) and that otherwise is the real one.
  replace_file(dir / "damaged-verify",
               "#!/bin/sh\n[ \"$1\" = verify ] && { echo 'postal-backup: error: damaged' >&2; "
               "exit 4; }\nexec '"
                   + tool() + "' \"$@\"\n");
  fs::permissions(dir / "damaged-verify", fs::perms::owner_all);
  const auto result = run_guard(sample, dir, (dir / "damaged-verify").string());
  BOOST_TEST(result.exit_code == 4, result.err);
  BOOST_TEST(result.err.find("failed verification") != std::string::npos, result.err);
  BOOST_TEST(!fs::exists(dir / "ran"));
}

// Lost if it failed: a mistyped guard line would back up and then run nothing, or run the
// first create option as the upgrade.
BOOST_AUTO_TEST_CASE(a_missing_upgrade_command_is_a_usage_error) {
  const auto result = run_command({guard(), "--output-dir", "/nonexistent"}, {}, {});
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.err.find("no upgrade command") != std::string::npos, result.err);
}

BOOST_AUTO_TEST_SUITE_END()
