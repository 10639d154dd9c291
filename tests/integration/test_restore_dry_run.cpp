// SPDX-License-Identifier: MIT
// `plan ARCHIVE` with a target server is `restore --dry-run`: the same target rule, preflight
// and refusals as the restore, up to its first write, and nothing written. An operator who
// plans first must get the answer the restore then gives: on an empty new server (disaster
// recovery) both go ahead, on a live install holding data both refuse, and a user without the
// privileges a restore needs is told which ones in one line, before anything is written.
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace pbk::test;
using Json = nlohmann::json;

namespace {

constexpr const char* k_level_1_x = "20180216114344";

struct DryRunArchive : SampleArchive {
  DryRunArchive()
      : SampleArchive({k_level_1_x, "18", 1, 10, 0, 31}) {}
};

struct DryRunCase {
  const std::filesystem::path& archive = suite_shared<DryRunArchive>().archive;
  TempDir dir;
};

// Rows of the restore journal, "none" without one: a dry run must add none.
std::string journal_rows() {
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  const auto exists = admin.query_value(
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'postal_backup' AND "
      "TABLE_NAME = 'restores'");
  return exists == "0"
             ? "none"
             : admin.query_value("SELECT COUNT(*) FROM postal_backup.restores").value_or("none");
}

void expect_nothing_written(const RestoreTarget& target,
                            const InstallChecksums& before,
                            const std::string& journal_before) {
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(journal_rows() == journal_before);
}

// The target's connection options with another account.
std::vector<std::string> as_user(const RestoreTarget& target,
                                 const TestUser& user,
                                 const std::filesystem::path& password_file) {
  return {"--socket",
          test_server().socket,
          "--user",
          user.name(),
          "--password-file",
          password_file.string(),
          "--main-db",
          target.main_db(),
          "--message-db-prefix",
          target.main_db()};
}

CommandResult run_as(const std::string& command,
                     const std::filesystem::path& archive,
                     const std::vector<std::string>& connection,
                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args{command, archive.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), connection.begin(), connection.end());
  return run_tool(args);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(RestoreDryRun,
                         DryRunCase,
                         *shared_by_suite<DryRunArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: on a new empty server (disaster recovery) `plan` refused ("holds no
// Postal schema_migrations") while the restore it was asked about would finish.
BOOST_AUTO_TEST_CASE(an_empty_new_server_gets_the_same_answer_from_plan_and_restore) {
  RestoreTarget target(test_server(), std::nullopt);
  const auto before = target.checksums();
  const auto journal_before = journal_rows();

  const auto plan = target.run("plan", {archive.string(), "--json"});
  BOOST_TEST_REQUIRE(plan.exit_code == 0, plan.err + plan.out);
  const auto planned = Json::parse(plan.out);
  BOOST_TEST(planned.at("verdict") == "ready");
  BOOST_TEST(planned.at("dry_run") == true);
  BOOST_TEST(planned.at("state") == "finished");
  BOOST_TEST(planned.at("target").at("source").get<std::string>().find("the backup's own level")
             == 0U);
  BOOST_TEST(planned.at("databases").size() == 2U);
  for (const auto& database : planned.at("databases")) {
    BOOST_TEST(database.at("exists") == false);
  }
  expect_nothing_written(target, before, journal_before);

  const auto human = target.run("plan", {archive.string()});
  const auto dry_run = target.run("restore", {archive.string(), "--dry-run"});
  BOOST_TEST(human.exit_code == 0, human.err);
  BOOST_TEST(dry_run.exit_code == 0, dry_run.err);
  BOOST_TEST(dry_run.out == human.out);
  BOOST_TEST(human.out.find("restore would: create " + target.main_db() + ", create "
                            + target.message_db(1) + "; end finished (exit 0)")
                 != std::string::npos,
             human.out);
  expect_nothing_written(target, before, journal_before);

  const auto restored = target.run("restore", {archive.string()});
  BOOST_TEST(restored.exit_code == 0, restored.err + restored.out);
}

// Lost if it failed: on a live install `plan` said `ready` and the restore then refused; or
// worse, an operator trusting the plan would have reached for --force.
BOOST_AUTO_TEST_CASE(a_live_install_holding_data_is_refused_by_plan_as_by_restore) {
  RestoreTarget target(test_server(), k_level_1_x);
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  admin.execute("INSERT INTO " + pbk::core::db::Connection::quote_identifier(target.main_db())
                + ".users (uuid, first_name, email_address) VALUES ('u', 'Live', 'l@example.com')");
  const auto before = target.checksums();
  const auto journal_before = journal_rows();

  const auto plan = target.run("plan", {archive.string()});
  const auto dry_run = target.run("restore", {archive.string(), "--dry-run"});
  const auto restore = target.run("restore", {archive.string()});
  BOOST_TEST(plan.exit_code == 5, plan.err + plan.out);
  BOOST_TEST(dry_run.exit_code == 5, dry_run.err);
  BOOST_TEST(restore.exit_code == 5, restore.err);
  BOOST_TEST(plan.err.find("already holds data") != std::string::npos, plan.err);
  BOOST_TEST(plan.err == restore.err);
  BOOST_TEST(dry_run.err == restore.err);
  expect_nothing_written(target, before, journal_before);

  // What --force would do, still without writing.
  const auto forced = target.run("restore", {archive.string(), "--dry-run", "--force", "--json"});
  BOOST_TEST_REQUIRE(forced.exit_code == 3, forced.err + forced.out);
  const auto outcome = Json::parse(forced.out);
  BOOST_TEST(outcome.at("state") == "awaiting_migrations");
  BOOST_TEST(outcome.at("replaced_data_kept") == true);
  expect_nothing_written(target, before, journal_before);
}

// Lost if it failed: a backup user (SELECT only) running a restore met the server's raw
// "Access denied … (1044)" part-way, and a user without PROCESS could not see Postal connected.
BOOST_AUTO_TEST_CASE(missing_privileges_are_listed_in_one_line_before_anything_is_written) {
  RestoreTarget target(test_server(), std::nullopt);
  TestUser user(test_server(), "pbk_restorer");
  user.grant("SELECT ON *.*");
  const auto password_file = dir / "pw";
  replace_file(password_file, TestUser::password() + "\n");
  const auto connection = as_user(target, user, password_file);
  const auto before = target.checksums();
  const auto journal_before = journal_rows();

  const auto plan = run_as("plan", archive, connection);
  const auto restore = run_as("restore", archive, connection);
  BOOST_TEST(plan.exit_code == 5, plan.err + plan.out);
  BOOST_TEST(restore.exit_code == 5, restore.err);
  BOOST_TEST(plan.err == restore.err);
  BOOST_TEST(std::count(restore.err.begin(), restore.err.end(), '\n') <= 2, restore.err);
  BOOST_TEST(restore.err.find("the restoring user 'pbk_restorer'@'localhost' lacks privileges a "
                              "restore needs: INSERT, UPDATE, CREATE, DROP, ALTER on "
                              + target.main_db() + ", " + target.message_db(1)
                              + ", pbk_<id>_new_<n> (staging), pbk_<id>_old_<n> (set aside), "
                                "postal_backup (journal); nothing was written")
                 != std::string::npos,
             restore.err);
  BOOST_TEST(restore.err.find("Access denied") == std::string::npos, restore.err);
  expect_nothing_written(target, before, journal_before);

  user.grant("INSERT, UPDATE, CREATE, DROP, ALTER ON *.*");
  const auto granted = run_as("plan", archive, connection);
  BOOST_TEST(granted.exit_code == 0, granted.err + granted.out);
  BOOST_TEST(granted.err.find("warning: 'pbk_restorer'@'localhost' lacks the PROCESS privilege")
                 != std::string::npos,
             granted.err);

  // Privileges granted on the databases alone (patterns as GRANT takes them) are enough.
  TestUser scoped(test_server(), "pbk_scoped");
  scoped.grant("PROCESS ON *.*");
  for (const auto& pattern :
       {target.main_db() + "%", std::string("pbk\\_%"), std::string("postal_backup")}) {
    scoped.grant("SELECT, INSERT, UPDATE, CREATE, DROP, ALTER ON `" + pattern + "`.*");
  }
  const auto scoped_plan = run_as("plan", archive, as_user(target, scoped, password_file));
  BOOST_TEST(scoped_plan.exit_code == 0, scoped_plan.err + scoped_plan.out);
  BOOST_TEST(scoped_plan.err.find("PROCESS") == std::string::npos, scoped_plan.err);
}

BOOST_AUTO_TEST_SUITE_END()
