// SPDX-License-Identifier: MIT
// The steps a restore prints when the restored install needs migrations, executed exactly as
// printed, in the order printed, on the test server: `postal upgrade` by its stand-in
// scripts/simulate-postal-upgrade, a step to apply by hand as the SQL after its ": " with the
// database it names as the current one (as `mariadb <database>` would run it), and
// `postal-backup finish` by the tool, which must then exit 0. A procedure that cannot finish
// leaves an operator at exit 3 with nothing left to try, and Postal down behind the guard.
#include "tests/support/restore_target.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>

using namespace pbk::test;
using Json = nlohmann::json;

namespace {

constexpr std::string_view k_by_hand = "apply Postal's message migration 19";
constexpr std::string_view k_database_at = " by hand in ";
constexpr std::string_view k_sql_at = " (as the current database): ";

// A backup of a 1.x install of the 2020 renumbering: its message database at `variant`
// (19-legacy, or 20-from-19-legacy after a later `postal upgrade`).
struct RenumberedArchive {
  explicit RenumberedArchive(const std::string& variant, int seed)
      : source(test_server(), {"20200717083943", variant, 1, 10, 0, seed}) {
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", archive.string(), "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
};

// One printed step, run as printed.
CommandResult
run_step(const std::string& step, const RestoreTarget& target, const std::string& version) {
  if (step == "postal upgrade" || step == "rake postal:migrate_message_databases") {
    return run_command(
        {"sh", "-c", simulated_upgrade_command(test_server(), target.main_db(), version)});
  }
  if (step == "postal-backup finish") {
    return target.run("finish");
  }
  if (step.starts_with(k_by_hand)) {
    const auto database = step.find(k_database_at) + k_database_at.size();
    const auto sql = step.find(k_sql_at, database);
    BOOST_REQUIRE_MESSAGE(sql != std::string::npos, "no SQL in the step: " << step);
    return run_command({"mariadb",
                        "--no-defaults",
                        "--socket=" + test_server().socket,
                        "--user=root",
                        "--database=" + step.substr(database, sql - database),
                        "--execute=" + step.substr(sql + k_sql_at.size())});
  }
  BOOST_FAIL("a printed step this test does not know how to run: " << step);
  return {};
}

// Restores `archive` into a new target initialised at `target_level`, runs the printed steps
// in the printed order (or with `postal upgrade` moved first, as `--migrate-with` and many
// operators run it) and returns them.
std::vector<std::string> restore_and_follow(const RenumberedArchive& archive,
                                            const std::string& target_level,
                                            const std::string& version,
                                            bool upgrade_first) {
  RestoreTarget target(test_server(), target_level);
  const auto restored = target.run("restore", {archive.archive.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
  auto steps = Json::parse(restored.out).at("commands").get<std::vector<std::string>>();
  BOOST_TEST_REQUIRE(!steps.empty());
  BOOST_TEST(steps.back() == "postal-backup finish");
  auto order = steps;
  if (upgrade_first) {
    std::stable_partition(
        order.begin(), order.end(), [](const auto& step) { return step == "postal upgrade"; });
  }
  for (const auto& step : order) {
    BOOST_TEST_CONTEXT(step) {
      const auto result = run_step(step, target, version);
      BOOST_TEST_REQUIRE(result.exit_code == 0, result.out + result.err);
    }
  }
  const auto status = target.run("status");
  BOOST_TEST(status.exit_code == 0, status.out + status.err);
  const auto check = target.run("schema", {"check", "--target-version", version});
  BOOST_TEST(check.exit_code == 0, check.out + check.err);
  return steps;
}

bool converts(const std::string& step, const std::string& database) {
  return step.starts_with(std::string(k_by_hand) + " (convert_database_to_utf8mb4)"
                          + std::string(k_database_at) + database + std::string(k_sql_at));
}

} // namespace

BOOST_AUTO_TEST_SUITE(PrintedSteps, *boost::unit_test::precondition(require_server))

BOOST_AUTO_TEST_CASE(legacy_19_into_2_1_4_finishes_in_either_order) {
  // Lost if it failed: the conversion by hand after `postal upgrade` widened links.url to
  // mediumtext, and `finish` stayed at 3 for good.
  RenumberedArchive archive("19-legacy", 21);
  for (const bool upgrade_first : {false, true}) {
    BOOST_TEST_CONTEXT("upgrade first: " << upgrade_first) {
      const auto steps = restore_and_follow(archive, "20210727210551", "2.1.4", upgrade_first);
      BOOST_TEST_REQUIRE(steps.size() == 3U);
      BOOST_TEST(steps[1] == "postal upgrade");
    }
  }
}

BOOST_AUTO_TEST_CASE(renumbered_20_finishes_in_either_order_and_at_its_own_level) {
  // Lost if it failed: a message database recorded at 20 but never converted would be told
  // to convert in a way that cannot finish, into 2.x or into its own 1.x level.
  RenumberedArchive archive("20-from-19-legacy", 22);
  for (const bool upgrade_first : {false, true}) {
    BOOST_TEST_CONTEXT("upgrade first: " << upgrade_first) {
      const auto steps = restore_and_follow(archive, "20210727210551", "2.1.4", upgrade_first);
      BOOST_TEST_REQUIRE(steps.size() == 3U);
      BOOST_TEST(steps[1] == "postal upgrade");
    }
  }
  const auto own_level = restore_and_follow(archive, "20200717083943", "1.x@20200717083943", false);
  BOOST_TEST_REQUIRE(own_level.size() == 2U); // Postal itself has nothing to run
  BOOST_TEST(own_level[0].find(" by hand in ") != std::string::npos, own_level[0]);
}

BOOST_AUTO_TEST_CASE(the_conversion_names_the_database_the_restore_made) {
  // Lost if it failed: restored under another prefix, the printed step would name the
  // archive's database, which on this server does not exist or is another install's.
  RenumberedArchive archive("20-from-19-legacy", 23);
  RestoreTarget target(test_server(), "20210727210551");
  const auto restored = target.run("restore", {archive.archive.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
  const auto steps = Json::parse(restored.out).at("commands").get<std::vector<std::string>>();
  BOOST_TEST_REQUIRE(!steps.empty());
  BOOST_TEST(converts(steps.front(), target.message_db(1)), steps.front());
  const auto plan =
      run_tool({"plan", archive.archive.string(), "--target-version", "2.1.4", "--json"});
  BOOST_TEST(plan.out.find(archive.source.prefix() + "-server-1 (as the current database)")
                 != std::string::npos,
             plan.out);
}

BOOST_AUTO_TEST_SUITE_END()
