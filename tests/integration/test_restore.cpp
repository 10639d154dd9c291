// SPDX-License-Identifier: MIT
// `restore`, `status`, `finish` and `rollback` end to end on the real server: the missing
// uuid story (a Postal 1.x backup restored into an initialised 2.1.4), disaster recovery
// onto an empty server, restores from a pipe and of one message database.
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

using namespace pbk::test;
using Json = nlohmann::json;

namespace {

constexpr const char* k_level_2_1_4 = "20210727210551";

// A backup of a Postal 1.x install: main level 20180216114344, one message DB at level 18,
// with a raw message larger than the default max_allowed_packet of older servers.
struct OneXArchive {
  OneXArchive()
      : source(test_server(), {"20180216114344", "18", 2, 20, 1, 11}) {
    create_archive(source, archive);
    source_sums = sample_checksums(test_server(), source);
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
  InstallChecksums source_sums;
};

// Every case restores the suite's archive into targets of its own; none writes to the source.
struct OneXArchiveCase {
  [[nodiscard]] InstallChecksums source_as(const RestoreTarget& target) const {
    return as_restored_into(source_sums, source, target);
  }

  const OneXArchive& shared = suite_shared<OneXArchive>();
  const PostalSample& source = shared.source;
  const std::filesystem::path& archive = shared.archive;
  const InstallChecksums& source_sums = shared.source_sums;
};

std::string table_count(const RestoreTarget& target, const std::string& table) {
  const auto sums = target.checksums();
  const auto& value = sums.at(target.main_db()).at(table);
  return value.substr(value.find('/') + 1);
}

bool has_column(const std::string& database, const std::string& table, const std::string& column) {
  auto connection = pbk::core::db::Connection::connect(test_server().root_options());
  return connection
             .query_value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          + connection.quote(database)
                          + " AND TABLE_NAME = " + connection.quote(table)
                          + " AND COLUMN_NAME = " + connection.quote(column))
             .value_or("0")
         == "1";
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(RestoreCli,
                         OneXArchiveCase,
                         *shared_by_suite<OneXArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: the incident this tool exists for. A 1.x backup restored into Postal
// 2.1.4 would go live without credentials.uuid, and every credentials page would crash.
BOOST_AUTO_TEST_CASE(one_x_into_2_1_4_waits_for_the_migrations_then_finishes) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored = target.run("restore", {archive.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
  const auto outcome = Json::parse(restored.out);
  BOOST_TEST(outcome.at("state") == "awaiting_migrations");
  BOOST_TEST(outcome.at("target_main_schema_level") == k_level_2_1_4);
  BOOST_TEST(outcome.at("main_migrations_missing") == Json({"20200717083943", "20210727210551"}));
  std::string finish = "postal-backup finish";
  for (const auto& word : target.connection_args()) {
    finish += " " + word;
  }
  BOOST_TEST(outcome.at("commands") == Json({"postal upgrade", finish}));
  BOOST_TEST(outcome.at("gate").at("holds") == false);
  // The restored data is live at the backup's level: exactly the source's rows.
  BOOST_TEST(target.checksums() == source_as(target));
  BOOST_TEST(!has_column(target.main_db(), "credentials", "uuid"));

  const auto status = target.run("status", {"--json"});
  BOOST_TEST(status.exit_code == 3, status.err);
  BOOST_TEST(Json::parse(status.out).at("state") == "awaiting_migrations");
  const auto early = target.run("finish");
  BOOST_TEST(early.exit_code == 3, early.err);
  BOOST_TEST(early.out.find("migrations not recorded: 20200717083943, 20210727210551")
                 != std::string::npos,
             early.out);

  const auto upgrade = run_command(
      {"sh", "-c", simulated_upgrade_command(test_server(), target.main_db(), "2.1.4")});
  BOOST_TEST_REQUIRE(upgrade.exit_code == 0, upgrade.err);
  const auto finished = target.run("finish", {"--json"});
  BOOST_TEST(finished.exit_code == 0, finished.err + finished.out);
  BOOST_TEST(Json::parse(finished.out).at("state") == "finished");
  BOOST_TEST(has_column(target.main_db(), "credentials", "uuid"));
  BOOST_TEST(table_count(target, "credentials")
             == source_sums.at(source.main_db())
                    .at("credentials")
                    .substr(source_sums.at(source.main_db()).at("credentials").find('/') + 1));
  const auto check = target.run("schema", {"check", "--target-version", "2.1.4"});
  BOOST_TEST(check.exit_code == 0, check.out + check.err);
  BOOST_TEST(target.run("status").exit_code == 0);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: rows typed into schema_migrations by hand would pass as migrated, and
// Postal would run on a schema that lacks the columns those migrations add.
BOOST_AUTO_TEST_CASE(finish_refuses_migration_rows_inserted_by_hand) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  BOOST_TEST_REQUIRE(target.run("restore", {archive.string(), "--quiet"}).exit_code == 3);
  auto connection = pbk::core::db::Connection::connect(test_server().root_options());
  const auto q = pbk::core::db::Connection::quote_identifier;
  connection.execute("INSERT INTO " + q(target.main_db())
                     + ".schema_migrations VALUES ('20200717083943'), ('20210727210551')");
  for (int id : {1, 2}) {
    connection.execute("INSERT INTO " + q(target.message_db(id))
                       + ".migrations (version) VALUES (19), (20)");
  }
  const auto finish = target.run("finish");
  BOOST_TEST(finish.exit_code == 3, finish.err);
  BOOST_TEST(finish.out.find("credentials") != std::string::npos, finish.out);
  // `postal upgrade` runs only migrations that are not recorded: advising it here would leave
  // the operator at exit 3 for good. The way out is the rollback, printed complete.
  std::string rollback_step = "postal-backup rollback";
  for (const auto& word : target.connection_args()) {
    rollback_step += " " + word;
  }
  BOOST_TEST(finish.out.find("`postal upgrade` runs only migrations that are not recorded, so it "
                             "cannot fix this: roll back with `"
                             + rollback_step + "`")
                 != std::string::npos,
             finish.out);
  BOOST_TEST(finish.out.find("run the target release's migrations") == std::string::npos,
             finish.out);
  const auto quiet = target.run("status", {"--quiet"});
  BOOST_TEST(quiet.exit_code == 3);
  BOOST_TEST(quiet.err.find("roll back with `" + rollback_step + "`") != std::string::npos,
             quiet.err);
  BOOST_TEST(quiet.err.find("postal upgrade`)") == std::string::npos, quiet.err);

  const auto rollback = target.run("rollback");
  BOOST_TEST(rollback.exit_code == 0, rollback.err + rollback.out);
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: `--migrate-with` would leave the operator to finish by hand, or finish
// a restore whose migration command failed.
BOOST_AUTO_TEST_CASE(migrate_with_runs_the_upgrade_and_finishes) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto failing = target.run("restore", {archive.string(), "--migrate-with", "exit 7"});
  BOOST_TEST(failing.exit_code == 3, failing.err);
  BOOST_TEST(failing.out.find("failed with exit status 7") != std::string::npos, failing.out);
  BOOST_TEST_REQUIRE(target.run("rollback").exit_code == 0);

  const auto restored =
      target.run("restore",
                 {archive.string(),
                  "--migrate-with",
                  simulated_upgrade_command(test_server(), target.main_db(), "2.1.4"),
                  "--json"});
  BOOST_TEST(restored.exit_code == 0, restored.err + restored.out);
  BOOST_TEST(Json::parse(restored.out).at("state") == "finished");
  BOOST_TEST(restored.err.find("== main 20200717083943") != std::string::npos, restored.err);
  BOOST_TEST(has_column(target.main_db(), "credentials", "uuid"));
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a restore into a Postal 3.x install whose main database has another
// default collation (made utf8mb4_unicode_ci by the 1.x installer, or by a container on a server
// with another default) would never finish: `postal upgrade` creates worker_roles and
// scheduled_tasks in that collation, and `finish` and `status` would stay at 3 for good, with
// an ExecStartPre= guard keeping Postal down.
BOOST_AUTO_TEST_CASE(restore_into_3x_under_other_database_defaults_finishes) {
  for (const std::string collation : {"utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci"}) {
    BOOST_TEST_CONTEXT(collation) {
      RestoreTarget target(
          test_server(), "20240311205229", "CHARACTER SET utf8mb4 COLLATE " + collation);
      const auto restored = target.run("restore", {archive.string(), "--quiet"});
      BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
      const auto upgrade = run_command(
          {"sh", "-c", simulated_upgrade_command(test_server(), target.main_db(), "3.3.6")});
      BOOST_TEST_REQUIRE(upgrade.exit_code == 0, upgrade.err);
      const auto finished = target.run("finish", {"--json"});
      BOOST_TEST(finished.exit_code == 0, finished.err + finished.out);
      BOOST_TEST(target.run("status").exit_code == 0);
      const auto check = target.run("schema", {"check", "--target-version", "3.3.6"});
      BOOST_TEST(check.exit_code == 0, check.out + check.err);
      auto connection = pbk::core::db::Connection::connect(test_server().root_options());
      BOOST_TEST(connection
                     .query_value("SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE "
                                  "TABLE_NAME = 'worker_roles' AND TABLE_SCHEMA = "
                                  + connection.quote(target.main_db()))
                     .value_or("")
                 == collation);
    }
  }
}

// Lost if it failed: a container entrypoint could not apply the migrations at Postal's
// next start, and `status` would let Postal start on the old schema.
BOOST_AUTO_TEST_CASE(scheduled_migrations_run_once_from_status) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored =
      target.run("restore",
                 {archive.string(),
                  "--schedule-migrations",
                  simulated_upgrade_command(test_server(), target.main_db(), "2.1.4")});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err);
  BOOST_TEST(target.run("status").exit_code == 3);
  const auto ran = target.run("status",
                              {"--run-scheduled",
                               simulated_upgrade_command(test_server(), target.main_db(), "2.1.4"),
                               "--json"});
  BOOST_TEST(ran.exit_code == 0, ran.err + ran.out);
  BOOST_TEST(Json::parse(ran.out).at("state") == "finished");
  BOOST_TEST(target.run("status").exit_code == 0);
}

// Lost if it failed: whoever can write to the postal_backup database (Postal's own
// credentials may be enough) would have root run a command of their choosing at Postal's next
// start, through the ExecStartPre= guard.
BOOST_AUTO_TEST_CASE(a_command_planted_in_the_journal_is_never_run) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored =
      target.run("restore", {archive.string(), "--schedule-migrations", "postal upgrade"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err);
  TempDir scratch;
  const auto planted = scratch / "planted-ran";
  auto connection = pbk::core::db::Connection::connect(test_server().root_options());
  connection.execute("UPDATE postal_backup.restores SET scheduled_command = "
                     + connection.quote("touch " + planted.string()) + ", scheduled_exit = NULL");
  for (const auto& guard : {std::vector<std::string>{"--run-scheduled", "postal upgrade"},
                            std::vector<std::string>{"--run-scheduled"}}) {
    const auto ran = target.run("status", guard);
    BOOST_TEST(ran.exit_code != 0, ran.err + ran.out); // 3 awaiting, or 2 with no command
    BOOST_TEST(!std::filesystem::exists(planted));
  }
  BOOST_TEST(target.run("status").exit_code == 3);
  BOOST_TEST_REQUIRE(target.run("rollback").exit_code == 0);
}

// Lost if it failed: the ExecStartPre= line operators copy from docs/operations.md would not
// run their migrations (or would not finish the restore), and Postal would stay down.
BOOST_AUTO_TEST_CASE(the_documented_guard_runs_the_operators_command_and_finishes) {
  std::ifstream docs(std::string(PBK_SOURCE_DIR) + "/docs/operations.md");
  std::string line;
  while (std::getline(docs, line) && line.rfind("ExecStartPre=", 0) != 0) {
  }
  BOOST_TEST_REQUIRE(line.rfind("ExecStartPre=", 0) == 0u);
  auto command = line.substr(std::string("ExecStartPre=").size());
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = command.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, from + " not in " + command);
    command.replace(at, from.size(), to);
  };
  RestoreTarget target(test_server(), k_level_2_1_4);
  std::string connection;
  for (const auto& arg : target.connection_args()) {
    connection += (connection.empty() ? "" : " ") + arg;
  }
  const char* bin = std::getenv("PBK_BIN");
  replace("/usr/local/bin/postal-backup",
          bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup");
  replace("--config /opt/postal/config/postal.yml", connection);
  // The operator's `postal upgrade`, as a `postal` on PATH.
  TempDir scratch;
  replace_file(scratch / "postal",
               "#!/bin/sh\n[ \"$1\" = upgrade ] || exit 64\nexec "
                   + simulated_upgrade_command(test_server(), target.main_db(), "2.1.4") + "\n");
  std::filesystem::permissions(scratch / "postal", std::filesystem::perms(0755));
  const std::string path = "PATH=" + scratch.path().string() + ":" + std::getenv("PATH");

  const auto restored =
      target.run("restore", {archive.string(), "--schedule-migrations", "postal upgrade"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err);
  const auto guard = run_command({"/bin/sh", "-c", command}, {}, {path});
  BOOST_TEST(guard.exit_code == 0, command + "\n" + guard.err + guard.out);
  BOOST_TEST(has_column(target.main_db(), "credentials", "uuid"));
  BOOST_TEST(target.run("status").exit_code == 0);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: after losing a server, the backup would not come back byte for byte.
BOOST_AUTO_TEST_CASE(disaster_recovery_onto_an_empty_server_is_byte_identical) {
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored = target.run("restore", {archive.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
  BOOST_TEST(Json::parse(restored.out).at("state") == "finished");
  // The fastest methods for each kind of table (restore/row_loader.hpp).
  BOOST_TEST(Json::parse(restored.out).at("load_method")
             == "bulk INSERT (raw tables), LOAD DATA LOCAL (other tables)");
  BOOST_TEST(target.checksums() == source_as(target));
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a restore through a proxy that cannot pass bulk executions, or one on a
// server with local_infile=OFF (a common hardening), would fail or load something other than
// the exact bytes. Every load method must give the same tables.
BOOST_DATA_TEST_CASE(every_load_method_gets_the_same_bytes,
                     boost::unit_test::data::make(std::vector<std::string>{
                         "bulk", "load-data", "insert"})
                         ^ boost::unit_test::data::make(std::vector<std::string>{
                             "bulk INSERT", "LOAD DATA LOCAL", "INSERT"}),
                     method,
                     reported) {
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored =
      target.run("restore", {archive.string(), "--json", "--load-method", method});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
  BOOST_TEST(Json::parse(restored.out).at("load_method") == reported);
  BOOST_TEST(target.checksums() == source_as(target));
}

// Lost if it failed: `ssh backup-host cat archive | postal-backup restore -` would not work,
// and restores would need the archive copied next to the database first.
BOOST_AUTO_TEST_CASE(restores_from_a_pipe) {
  RestoreTarget target(test_server(), std::nullopt);
  auto args = target.connection_args();
  args.insert(args.begin(), {"restore", "-"});
  std::vector<std::string> argv{std::getenv("PBK_BIN")};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto piped = run_command(argv, file_contents(archive));
  BOOST_TEST_REQUIRE(piped.exit_code == 0, piped.err + piped.out);
  BOOST_TEST(target.checksums() == source_as(target));
}

// Lost if it failed: one damaged mail server could not be restored without replacing the
// whole install, main database included.
BOOST_AUTO_TEST_CASE(restores_one_message_database_beside_an_existing_main) {
  RestoreTarget target(test_server(), std::nullopt);
  BOOST_TEST_REQUIRE(target.run("restore", {archive.string(), "--quiet"}).exit_code == 0);
  auto connection = pbk::core::db::Connection::connect(test_server().root_options());
  connection.execute("DELETE FROM "
                     + pbk::core::db::Connection::quote_identifier(target.message_db(2))
                     + ".deliveries");
  const auto main_before = target.checksums().at(target.main_db());
  const auto one = target.run(
      "restore",
      {archive.string(), "--databases", source.prefix() + "-server-2", "--force", "--quiet"});
  // It replaced data, so it stays open (rollback possible) until `finish`.
  BOOST_TEST(one.exit_code == 3, one.err + one.out);
  BOOST_TEST(target.run("finish", {"--quiet"}).exit_code == 0);
  const auto after = target.checksums();
  BOOST_TEST(after.at(target.main_db()) == main_before);
  BOOST_TEST(after.at(target.message_db(2)) == source_as(target).at(target.message_db(2)));
}

BOOST_AUTO_TEST_SUITE_END()
