// SPDX-License-Identifier: MIT
// The steps a restore prints when the restored install needs migrations, executed exactly as
// printed, in the order printed, on the test server, by /bin/sh: `postal upgrade` finds a
// stand-in `postal` (scripts/simulate-postal-upgrade) first in PATH, `postal-backup …` the
// tool under test, with the connection options the step itself names; a step to apply by
// hand runs as the SQL after its ": " with the database it names as the current one (as
// `mariadb <database>` would run it). `finish` must then exit 0. A procedure that cannot
// finish leaves an operator at exit 3 with nothing left to try, and Postal down behind the
// guard; a step printed without its connection options acts on the default server.
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
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
    create_archive(source, archive);
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
};

// The options of a test install's postal.yml: the file names no host (127.0.0.1, TCP), so
// --host localhost makes --socket count.
std::vector<std::string> config_connection(const std::filesystem::path& config) {
  return {"--config",
          config.string(),
          "--host",
          "localhost",
          "--socket",
          test_server().socket,
          "--user",
          "root"};
}

// A PATH where `postal-backup` is the tool under test and `postal upgrade` the simulated
// upgrade to `version` of the install `main_db`.
class StepPath {
public:
  StepPath(const std::string& main_db, const std::string& version) {
    const char* bin = std::getenv("PBK_BIN");
    const std::filesystem::path tool = bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup";
    std::filesystem::create_symlink(std::filesystem::absolute(tool), m_dir / "postal-backup");
    replace_file(m_dir / "postal",
                 "#!/bin/sh\n[ \"$*\" = upgrade ] || exit 99\nexec "
                     + simulated_upgrade_command(test_server(), main_db, version) + "\n");
    std::filesystem::permissions(m_dir / "postal", std::filesystem::perms::owner_all);
  }

  [[nodiscard]] std::string env() const {
    const char* path = std::getenv("PATH");
    return "PATH=" + m_dir.path().string() + ":" + (path ? path : "/usr/bin:/bin");
  }

private:
  TempDir m_dir;
};

// One printed step, run as printed.
CommandResult run_step(const std::string& step, const StepPath& path) {
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
  BOOST_REQUIRE_MESSAGE(step.starts_with("postal-backup ") || step == "postal upgrade",
                        "a printed step this test does not know how to run: " << step);
  return run_command({"sh", "-c", step}, {}, {path.env()});
}

std::string finish_step(const RestoreTarget& target) {
  std::string step = "postal-backup finish";
  for (const auto& word : target.connection_args()) {
    step += " " + word;
  }
  return step;
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
  BOOST_TEST(steps.back() == finish_step(target));
  const StepPath path(target.main_db(), version);
  auto order = steps;
  if (upgrade_first) {
    std::stable_partition(
        order.begin(), order.end(), [](const auto& step) { return step == "postal upgrade"; });
  }
  for (const auto& step : order) {
    BOOST_TEST_CONTEXT(step) {
      const auto result = run_step(step, path);
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

// Lost if it failed: `status` and `finish` printed `postal-backup finish` without the options
// they were run with; copied as printed it went to the default socket and failed, or acted on
// another server. Here the options come from a postal.yml (named first) and overrides.
BOOST_AUTO_TEST_CASE(status_and_finish_print_steps_that_run_as_printed) {
  PostalSample source(test_server(), {"20180216114344", "18", 1, 10, 0, 25});
  TempDir dir;
  const auto archive = dir / "backup.tar";
  auto create = source.connection_args();
  create.insert(create.begin(), "create");
  create.insert(create.end(), {"--output", archive.string(), "--quiet"});
  BOOST_TEST_REQUIRE(run_tool(create).exit_code == 0);

  RestoreTarget target(test_server(), "20210727210551");
  std::filesystem::create_directories(dir / "postal" / "config");
  const auto config = dir / "postal" / "config" / "postal.yml";
  replace_file(config,
               "main_db:\n  database: " + target.main_db()
                   + "\nmessage_db:\n  prefix: " + target.main_db() + "\n");
  const auto connection = config_connection(config);
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), connection.begin(), connection.end());
    return run_tool(args);
  };
  const std::string options = " --config " + config.string() + " --host localhost --socket "
                              + test_server().socket + " --user root";

  const auto restored = run({"restore", archive.string()});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
  BOOST_TEST(restored.out.find("  postal-backup finish" + options + "\n") != std::string::npos,
             restored.out);
  BOOST_TEST(restored.out.find("(`postal-backup rollback" + options + "` puts")
                 != std::string::npos,
             restored.out);

  const auto early = run({"finish"});
  BOOST_TEST(early.exit_code == 3);
  BOOST_TEST(early.out.find("(`postal upgrade`), then `postal-backup finish" + options
                            + "`; or `postal-backup rollback" + options + "`")
                 != std::string::npos,
             early.out);
  const auto quiet = run({"status", "--quiet"});
  BOOST_TEST(quiet.err.find("then `postal-backup finish" + options + "`") != std::string::npos,
             quiet.err);

  const auto status = run({"status", "--json"});
  BOOST_TEST_REQUIRE(status.exit_code == 3, status.err);
  const auto steps = Json::parse(status.out).at("next_steps").get<std::vector<std::string>>();
  BOOST_TEST_REQUIRE(steps.size() == 3U);
  BOOST_TEST(steps[0] == "postal upgrade");
  BOOST_TEST(steps[1] == "postal-backup finish" + options);
  BOOST_TEST(steps[2] == "postal-backup rollback" + options);
  const StepPath path(target.main_db(), "2.1.4");
  for (const auto& step : {steps[0], steps[1]}) {
    BOOST_TEST_CONTEXT(step) {
      const auto result = run_step(step, path);
      BOOST_TEST_REQUIRE(result.exit_code == 0, result.out + result.err);
    }
  }
  BOOST_TEST(run({"status"}).exit_code == 0);
}

// Lost if it failed: in Postal's standard Docker install the printed `postal upgrade` is not
// the command that migrates the installed release. The install is known by its layout:
// --config <root>/config/postal.yml with <root>/install/docker-compose.yml beside it.
BOOST_AUTO_TEST_CASE(the_docker_install_is_told_the_docker_form) {
  RenumberedArchive archive("20-from-19-legacy", 26);
  RestoreTarget target(test_server(), "20210727210551");
  TempDir root;
  std::filesystem::create_directories(root / "config");
  std::filesystem::create_directories(root / "install");
  const auto config = root / "config" / "postal.yml";
  replace_file(config,
               "main_db:\n  database: " + target.main_db()
                   + "\nmessage_db:\n  prefix: " + target.main_db() + "\n");
  const auto plan_json = [&] {
    std::vector<std::string> args{"plan", archive.archive.string(), "--json"};
    const auto connection = config_connection(config);
    args.insert(args.end(), connection.begin(), connection.end());
    return run_tool(args);
  };
  const auto plan = plan_json();
  BOOST_TEST_REQUIRE(plan.exit_code == 3, plan.err + plan.out);
  const auto without = Json::parse(plan.out).at("commands");
  BOOST_TEST(without.at(1) == "postal upgrade");

  replace_file(root / "install" / "docker-compose.yml", "services: {}\n");
  const auto docker = plan_json();
  BOOST_TEST_REQUIRE(docker.exit_code == 3, docker.err + docker.out);
  const auto steps = Json::parse(docker.out).at("commands");
  BOOST_TEST(steps.at(1)
             == "docker compose -p postal -f " + (root / "install" / "docker-compose.yml").string()
                    + " run --rm runner postal upgrade");
  BOOST_TEST(steps.at(2)
             == "postal-backup finish --config " + config.string() + " --host localhost --socket "
                    + test_server().socket + " --user root");
}

BOOST_AUTO_TEST_SUITE_END()
