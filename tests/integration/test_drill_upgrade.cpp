// SPDX-License-Identifier: MIT
// `drill --target-version V --migrate-with CMD` on the real server: a rehearsal of a version
// jump. A Postal 1.x archive is loaded into scratch databases, checked at its own level, then
// migrated to 2.1.4 by the simulated `postal upgrade` (scripts/simulate-postal-upgrade), which
// finds the scratch databases only through the environment the drill gives it; the restore
// gate then judges them. The live install is never changed, whatever the command does.
#include "tests/support/postal_sample.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace pbk::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* k_scratch_pattern = "pbk\\_drill\\_%";
constexpr const char* k_missing_main = "migrations not recorded: 20200717083943, 20210727210551";

// A backup of a Postal 1.x install (main level 20180216114344, message databases at 18).
struct OneXDrillArchive {
  OneXDrillArchive()
      : source(test_server(), {"20180216114344", "18", 2, 20, 0, 12}) {
    create_archive(source, archive);
  }

  PostalSample source;
  TempDir dir;
  fs::path archive = dir / "backup.tar";
};

// The simulated `postal upgrade`, pointed at the databases the drill names in its environment
// and nowhere else.
std::string upgrade_from_environment() {
  return std::string(PBK_SOURCE_DIR) + "/scripts/simulate-postal-upgrade --socket "
         + test_server().socket
         + " --user root --main-db \"$MAIN_DB_DATABASE\" --message-db-prefix "
           "\"$MESSAGE_DB_PREFIX\" --target-version \"$POSTAL_BACKUP_TARGET_VERSION\"";
}

struct DrillUpgradeCase {
  const OneXDrillArchive& shared = suite_shared<OneXDrillArchive>();

  [[nodiscard]] CommandResult drill(const std::vector<std::string>& args,
                                    const PostalSample& live) const {
    std::vector<std::string> argv{"drill", shared.archive.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto connection = live.connection_args();
    argv.insert(argv.end(), connection.begin(), connection.end());
    return run_tool(argv);
  }

  [[nodiscard]] CommandResult drill(const std::vector<std::string>& args) const {
    return drill(args, shared.source);
  }

  // A rehearsal that must fail: exit 4 naming `fragment`, the live install unchanged, no
  // scratch database left.
  void expect_failed(const std::vector<std::string>& args, const std::string& fragment) const {
    const auto before = sample_checksums(test_server(), shared.source);
    const auto result = drill(args);
    BOOST_TEST(result.exit_code == 4, result.out << result.err);
    BOOST_TEST(result.out.find(fragment) != std::string::npos,
               "expected '" << fragment << "' in: " << result.out);
    BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
    BOOST_TEST(sample_checksums(test_server(), shared.source) == before);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(DrillUpgrade,
                         DrillUpgradeCase,
                         *shared_by_suite<OneXDrillArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: an operator could not learn before the upgrade day whether last night's
// backup of a 1.x install comes up on 2.1.4, and finding out would mean restoring over the
// live install.
BOOST_AUTO_TEST_CASE(the_jump_to_2_1_4_is_rehearsed_in_the_scratch_databases) {
  const auto before = sample_checksums(test_server(), shared.source);
  const auto result =
      drill({"--target-version", "2.1.4", "--migrate-with", upgrade_from_environment(), "--json"});
  BOOST_TEST(result.exit_code == 0, result.out << result.err);
  BOOST_TEST(result.err.find("== main 20200717083943 applied") != std::string::npos, result.err);
  BOOST_TEST(result.err.find("-server-1 20 applied") != std::string::npos, result.err);
  const auto document = Json::parse(result.out);
  BOOST_TEST(document.at("healthy").get<bool>());
  const auto& upgrade = document.at("upgrade");
  BOOST_TEST(upgrade.at("target_version") == "2.1.4");
  BOOST_TEST(upgrade.at("verdict") == "migrations_required");
  BOOST_TEST(upgrade.at("command_exit") == 0);
  BOOST_TEST(upgrade.at("gate_holds").get<bool>());
  BOOST_TEST(upgrade.at("missing").empty());
  for (const auto& database : document.at("databases")) {
    const auto scratch = database.at("scratch").get<std::string>();
    BOOST_TEST((scratch.ends_with("_main") || scratch.find("-server-") != std::string::npos),
               scratch);
  }
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
  BOOST_TEST(sample_checksums(test_server(), shared.source) == before);
}

// Lost if it failed: a migration command that fails, or that migrates nothing (pointed at the
// wrong databases), would pass the rehearsal, and the real upgrade would stop half-way.
BOOST_AUTO_TEST_CASE(a_failing_or_idle_command_fails_naming_the_pending_migrations) {
  expect_failed({"--target-version", "2.1.4", "--migrate-with", "exit 7"},
                "failed with exit status 7");
  expect_failed({"--target-version", "2.1.4", "--migrate-with", "exit 7"}, k_missing_main);
  expect_failed({"--target-version", "2.1.4", "--migrate-with", "true"}, k_missing_main);
}

// Lost if it failed: --target-version alone would pass as if the jump were rehearsed, or fail
// like a broken backup; it says what a restore would await, with its own exit code.
BOOST_AUTO_TEST_CASE(without_a_command_the_pending_migrations_are_reported) {
  const auto result = drill({"--target-version", "2.1.4"});
  BOOST_TEST(result.exit_code == 3, result.out << result.err);
  BOOST_TEST(result.out.find("not rehearsed (no --migrate-with)") != std::string::npos, result.out);
  BOOST_TEST(result.out.find(k_missing_main) != std::string::npos, result.out);
  BOOST_TEST(result.out.find("healthy, migrations pending: ") != std::string::npos, result.out);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());

  const auto usage = drill({"--migrate-with", "true"});
  BOOST_TEST(usage.exit_code == 2, usage.err);
  BOOST_TEST(usage.err.find("--migrate-with needs --target-version") != std::string::npos,
             usage.err);
  const auto unknown = drill({"--target-version", "9.9.9", "--migrate-with", "true"});
  BOOST_TEST(unknown.exit_code == 5, unknown.err);
}

// Lost if it failed: a command that ignores the scratch names and migrates the live install
// would pass the rehearsal, and nobody would learn that the drill had upgraded production.
BOOST_AUTO_TEST_CASE(a_command_that_migrates_the_live_install_fails) {
  PostalSample live(test_server(), {"20180216114344", "18", 1, 5, 0, 13});
  const auto reaches_live = simulated_upgrade_command(test_server(), live.main_db(), "2.1.4")
                            + " --message-db-prefix " + live.prefix();
  const auto result = drill({"--target-version", "2.1.4", "--migrate-with", reaches_live}, live);
  BOOST_TEST(result.exit_code == 4, result.out << result.err);
  BOOST_TEST(result.out.find("changed the recorded migrations of the live install")
                 != std::string::npos,
             result.out);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
}

BOOST_AUTO_TEST_SUITE_END()
