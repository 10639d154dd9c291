// SPDX-License-Identifier: MIT
// The words the commands print about a real run, where they used to be wrong: counts of the
// right things in the right number, standard output not called "-", an interrupted restore
// saying that the live databases were not touched, and the journal naming the archive so
// that `status` run from anywhere finds it.
#include "core/db/connection.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <thread>

using namespace pbk::test;
using Json = nlohmann::json;

namespace {

constexpr const char* k_level_2_1_4 = "20210727210551";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// A 1.x install of two mail servers, backed up once for every case.
struct OneXArchive : SampleArchive {
  OneXArchive()
      : SampleArchive({"20180216114344", "18", 2, 20, 1, 17}) {}
};

// Every case restores the suite's archive into targets of its own.
struct OneXArchiveCase {
  const OneXArchive& shared = suite_shared<OneXArchive>();
  const PostalSample& source = shared.source;
  const TempDir& dir = shared.dir;
  const std::filesystem::path& archive = shared.archive;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(TerminalMessages,
                         OneXArchiveCase,
                         *shared_by_suite<OneXArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: `create --output -` piped to ssh would report "wrote -:", which reads
// like a failure or a file named "-"; and "1 rows" style counts look careless.
BOOST_AUTO_TEST_CASE(create_to_standard_output_says_so) {
  auto args = source.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", "-"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  BOOST_TEST(created.err.starts_with("wrote the archive to standard output: "), created.err);
  BOOST_TEST(contains(created.err, " rows, 3 databases)"), created.err);
}

// Lost if it failed: a cron mail of `status --quiet` would say "3 missing" for 6 missing
// migrations (it counted databases), and the operator would plan for the wrong work; the
// journal would name the archive relative to a directory `status` knows nothing of.
BOOST_AUTO_TEST_CASE(status_quiet_counts_migrations_and_the_journal_path_is_absolute) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto restored = target.run("restore", {"backup.tar", "--quiet"});
  std::filesystem::current_path(cwd);
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
  // Main: 2 migrations; each of the two message databases: 19 and 20.
  BOOST_TEST(contains(restored.err, "awaits migrations (6 missing)"), restored.err);

  const auto status = target.run("status", {"--quiet"});
  BOOST_TEST(status.exit_code == 3, status.err);
  BOOST_TEST(contains(status.err, "awaits migrations (6 missing)"), status.err);

  const auto json = target.run("status", {"--json"});
  BOOST_TEST(Json::parse(json.out).at("archive") == archive.lexically_normal().string(), json.out);
  BOOST_TEST(target.run("rollback", {"--quiet"}).exit_code == 0);
}

// Lost if it failed: Ctrl-C during a restore would be reported as some failure, and the
// operator, not knowing whether the live databases were touched, would roll back or restore
// again from a worse backup.
BOOST_AUTO_TEST_CASE(restore_interrupted_before_the_swap_says_the_live_data_is_untouched) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  auto args = target.connection_args();
  args.insert(args.begin(), {PBK_BINARY_DIR "/postal-backup", "restore", archive.string()});
  if (const char* bin = std::getenv("PBK_BIN")) {
    args.front() = bin;
  }
  TempDir logs;
  ::setenv("POSTAL_BACKUP_PAUSEPOINT", "restore.before_member_load=20000", 1);
  BackgroundProcess restore(args, logs.path());
  ::unsetenv("POSTAL_BACKUP_PAUSEPOINT");
  // Interrupted once its staging databases exist: the loaders are then at work.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (restore_leftovers(test_server()).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  restore.signal(SIGINT);
  const int status = restore.wait();
  BOOST_TEST(status == 130, "exit " << status << ": " << restore.err());
  BOOST_TEST(
      contains(first_line(restore.err()), "interrupted before the swap: live databases untouched"),
      restore.err());
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
