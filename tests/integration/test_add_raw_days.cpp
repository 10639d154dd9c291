// SPDX-License-Identifier: MIT
// `restore ARCHIVE --add-raw` on the real server: raw days a selective restore left out are
// brought back into the running install, their messages re-linked and their raw_message_sizes
// rows back, until the install is identical to a full restore of the same archive; a table
// already live and a message the operator re-pointed are never overwritten; an add killed
// between its rename and its re-link is undone by `rollback` or completed by `finish`; bad
// values and a damaged archive change nothing.
#include "archive/member_path.hpp"
#include "postal/postal_invariants.hpp"
#include "postal/raw_tables.hpp"

#include "tests/support/archive_members.hpp"
#include "tests/support/resealed_archive.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>

using namespace pbk::test;
using pbk::core::db::Connection;
using Json = nlohmann::json;

namespace {

constexpr int k_servers = 2;
constexpr int k_killed = 128 + SIGKILL;
constexpr const char* k_level_2_1_4 = "20210727210551";

// A Postal 1.x install with two mail servers, each with raw tables of three days.
struct AddRawArchive {
  AddRawArchive()
      : sample({"20180216114344", "18", k_servers, 30, 0, 29}) {
    source_sums = sample_checksums(test_server(), sample.source);
  }

  SampleArchive sample;
  InstallChecksums source_sums;
};

Connection root() {
  return Connection::connect(test_server().root_options());
}

std::vector<std::string> raw_tables(const std::string& database) {
  auto connection = root();
  std::vector<std::string> tables;
  for (const auto& row : connection
                             .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = "
                                    + connection.quote(database) + " ORDER BY TABLE_NAME")
                             .rows()) {
    if (pbk::postal::raw_table_date(row.at(0).value_or(""))) {
      tables.push_back(*row.at(0));
    }
  }
  return tables;
}

std::string count(const std::string& sql) {
  return root().query_value(sql).value_or("?");
}

std::string messages_pointing_at(const std::string& database, const std::string& table) {
  auto connection = root();
  return count("SELECT COUNT(*) FROM " + Connection::quote_identifier(database)
               + ".messages WHERE raw_table = " + connection.quote(table));
}

std::string size_rows_of(const std::string& database, const std::string& table) {
  auto connection = root();
  return count("SELECT COUNT(*) FROM " + Connection::quote_identifier(database)
               + ".raw_message_sizes WHERE table_name = " + connection.quote(table));
}

std::vector<std::string> return_markers() {
  std::vector<std::string> markers;
  for (const auto& row : root()
                             .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = 'postal_backup' AND TABLE_NAME LIKE "
                                    "'addraw\\_%'")
                             .rows()) {
    markers.push_back(row.at(0).value_or(""));
  }
  return markers;
}

std::vector<std::string> invariant_problems(const RestoreTarget& target) {
  std::vector<pbk::postal::StagedDatabase> live{
      {target.main_db(), target.main_db(), pbk::archive::DatabaseRole::main, std::nullopt}};
  for (int id = 1; id <= k_servers; ++id) {
    live.push_back(
        {target.message_db(id), target.message_db(id), pbk::archive::DatabaseRole::message, id});
  }
  auto connection = root();
  return pbk::postal::check_postal_invariants(connection, live, target.main_db(), {}).problems;
}

struct AddRawCase {
  [[nodiscard]] const std::filesystem::path& archive() const { return shared.sample.archive; }

  [[nodiscard]] std::vector<std::string> source_raw(int id) const {
    return raw_tables(shared.sample.source.prefix() + "-server-" + std::to_string(id));
  }

  [[nodiscard]] std::string source_pointing(int id, const std::string& table) const {
    return messages_pointing_at(shared.sample.source.prefix() + "-server-" + std::to_string(id),
                                table);
  }

  [[nodiscard]] InstallChecksums full_restore_sums(const RestoreTarget& target) const {
    return as_restored_into(shared.source_sums, shared.sample.source, target);
  }

  // `restore ARCHIVE --add-raw ARGS… --json`, its outcome parsed.
  [[nodiscard]] Json add_raw(const RestoreTarget& target, std::vector<std::string> args) const {
    args.insert(args.begin(), {archive().string(), "--add-raw", "--json"});
    const auto added = target.run("restore", args);
    BOOST_TEST_REQUIRE(added.exit_code == 0, added.err + added.out);
    return Json::parse(added.out);
  }

  void restore_without_raw(const RestoreTarget& target) const {
    const auto restored = target.run("restore", {archive().string(), "--without-raw", "--quiet"});
    BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err);
  }

  const AddRawArchive& shared = suite_shared<AddRawArchive>();
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(AddRawDays,
                         AddRawCase,
                         *shared_by_suite<AddRawArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: raw mail left out to get Postal running fast could not be brought back
// into the running install, or would come back unlinked (Postal still says "no longer
// available"), without its sizes, or different from what a full restore gives.
BOOST_AUTO_TEST_CASE(days_brought_back_one_then_the_rest_equal_a_full_restore) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto selective = Json::parse(target.run("status", {"--json"}).out);
  BOOST_TEST(selective.at("kind") == "restore");
  BOOST_TEST(selective.at("raw_left_out").size() == source_raw(1).size() * k_servers);

  const auto newest = source_raw(1).back();
  const auto one = add_raw(target, {"--raw-days", "1"});
  BOOST_TEST(one.at("added").size() == k_servers);
  BOOST_TEST(one.at("messages_skipped") == 0);
  BOOST_TEST(one.at("raw_message_sizes_inserted") == k_servers);
  for (int id = 1; id <= k_servers; ++id) {
    const auto day = source_raw(id).back();
    BOOST_TEST(raw_tables(target.message_db(id)) == std::vector<std::string>{day});
    BOOST_TEST(messages_pointing_at(target.message_db(id), day) == source_pointing(id, day));
    BOOST_TEST(size_rows_of(target.message_db(id), day) == "1");
  }
  BOOST_TEST(invariant_problems(target).empty());
  const auto status = Json::parse(target.run("status", {"--json"}).out);
  BOOST_TEST(status.at("kind") == "add_raw");
  BOOST_TEST(status.at("state") == "finished");
  BOOST_TEST(status.at("raw_added").size() == k_servers);

  const auto rest = add_raw(target, {});
  BOOST_TEST(rest.at("already_live").size() == k_servers);
  BOOST_TEST(rest.at("already_live").at(0).at("table") == newest);
  BOOST_TEST(rest.at("added").size() == (source_raw(1).size() - 1) * k_servers);
  BOOST_TEST(invariant_problems(target).empty());
  BOOST_TEST(target.checksums() == full_restore_sums(target));
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(return_markers().empty());
}

// Lost if it failed: an operator could not see what an add would bring back and cost (with
// `restore --dry-run` or `plan`), or the dry run would write.
BOOST_AUTO_TEST_CASE(dry_run_names_the_days_and_bytes_and_writes_nothing) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto before = target.checksums();
  const auto dry = add_raw(target, {"--dry-run"});
  BOOST_TEST(dry.at("dry_run") == true);
  BOOST_TEST(dry.at("added").size() == source_raw(1).size() * k_servers);
  BOOST_TEST(dry.at("bytes_stored").get<std::uint64_t>() > 0);
  BOOST_TEST(dry.at("restore_id").is_null());
  const auto text =
      target.run("restore", {archive().string(), "--add-raw", "--dry-run", "--raw-days", "1"});
  BOOST_TEST(text.exit_code == 0, text.err);
  BOOST_TEST(text.out.find("would bring back " + std::to_string(k_servers) + " raw tables")
                 != std::string::npos,
             text.out);
  const auto plan = target.run("plan", {archive().string(), "--add-raw", "--raw-days", "1"});
  BOOST_TEST(plan.exit_code == 0, plan.err);
  BOOST_TEST(plan.out == text.out);
  const auto without_server = run_tool({"plan", archive().string(), "--add-raw"});
  BOOST_TEST(without_server.exit_code == 2, without_server.err);
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(Json::parse(target.run("status", {"--json"}).out).at("kind") == "restore");
}

// Lost if it failed: an add over a live day would overwrite raw mail Postal holds now (or that
// the operator repaired), or fail half-way.
BOOST_AUTO_TEST_CASE(a_day_already_live_is_left_exactly_as_it_is) {
  RestoreTarget target(test_server(), std::nullopt);
  const auto full = target.run("restore", {archive().string(), "--quiet"});
  BOOST_TEST_REQUIRE(full.exit_code == 0, full.err);
  const auto day = source_raw(1).front();
  root().execute("UPDATE " + Connection::qualified_name(target.message_db(1), day)
                 + " SET data = 'changed since the backup' ORDER BY id LIMIT 1");
  const auto before = target.checksums();
  const auto text = target.run("restore", {archive().string(), "--add-raw"});
  BOOST_TEST(text.exit_code == 0, text.err);
  BOOST_TEST(text.out.find("nothing to bring back") != std::string::npos, text.out);
  BOOST_TEST(text.err.find(target.message_db(1) + "." + day + " is already live")
                 != std::string::npos,
             text.err);
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a message the operator (or Postal) pointed at another raw message after
// the selective restore would be pointed back at the archive's, losing what it shows now.
BOOST_AUTO_TEST_CASE(a_repointed_message_is_not_overwritten) {
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored = target.run("restore", {archive().string(), "--raw-days", "1", "--quiet"});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err);
  const auto live_day = source_raw(1).back();
  const auto old_day = source_raw(1).front();
  const auto messages = Connection::quote_identifier(target.message_db(1)) + ".messages";
  const auto source_messages =
      Connection::quote_identifier(shared.sample.source.prefix() + "-server-1") + ".messages";
  const auto id =
      count("SELECT MIN(id) FROM " + source_messages + " WHERE raw_table = '" + old_day + "'");
  const auto pointer = "SELECT CONCAT_WS(',', raw_table, raw_headers_id, raw_body_id, size) FROM "
                       + messages + " WHERE id = " + id;
  root().execute("UPDATE " + messages + " AS m JOIN " + messages
                 + " AS other ON other.raw_table = '" + live_day
                 + "' SET m.raw_table = other.raw_table, m.raw_headers_id = other.raw_headers_id, "
                   "m.raw_body_id = other.raw_body_id, m.size = other.size WHERE m.id = "
                 + id);
  const auto repointed = count(pointer);
  BOOST_TEST_REQUIRE(repointed.find(live_day) == 0, repointed);
  const auto added = add_raw(target, {});
  BOOST_TEST(added.at("messages_skipped") == 1);
  BOOST_TEST(count(pointer) == repointed);
  BOOST_TEST(messages_pointing_at(target.message_db(1), old_day)
             == std::to_string(std::stoi(source_pointing(1, old_day)) - 1));
  BOOST_TEST(invariant_problems(target).empty());
}

// Lost if it failed: an add killed after its tables went live but before the re-link
// committed (OOM killer, reboot) would leave orphaned tables that block every later restore,
// with no way back and no way forward.
BOOST_AUTO_TEST_CASE(an_add_killed_before_its_relink_is_rolled_back_or_finished) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto before = target.checksums();
  for (const char* point : {"add_raw.after_rename", "add_raw.before_commit"}) {
    BOOST_TEST_CONTEXT(point) {
      const auto killed = target.run("restore",
                                     {archive().string(), "--add-raw"},
                                     {std::string("POSTAL_BACKUP_FAILPOINT=") + point});
      BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
      BOOST_TEST(raw_tables(target.message_db(1)) == source_raw(1)); // live, not linked
      const auto status = target.run("status", {"--json"});
      BOOST_TEST(Json::parse(status.out).at("swapped") == true, status.out);
      BOOST_TEST(Json::parse(status.out).at("next_steps").size() == 2, status.out);
      const auto text = target.run("status");
      BOOST_TEST(text.out.find("`postal-backup finish") != std::string::npos, text.out);
      BOOST_TEST(text.out.find("re-links them") != std::string::npos, text.out);
      const auto another = target.run("restore", {archive().string(), "--add-raw"});
      BOOST_TEST(another.exit_code == 5, another.err);
      BOOST_TEST(another.err.find("not all re-linked") != std::string::npos, another.err);
      const auto rollback = target.run("rollback");
      BOOST_TEST_REQUIRE(rollback.exit_code == 0, rollback.err + rollback.out);
      BOOST_TEST(target.checksums() == before);
      BOOST_TEST(restore_leftovers(test_server()).empty());
      BOOST_TEST(return_markers().empty());
    }
  }
  const auto killed = target.run("restore",
                                 {archive().string(), "--add-raw"},
                                 {"POSTAL_BACKUP_FAILPOINT=add_raw.before_commit"});
  BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
  const auto finish = target.run("finish");
  BOOST_TEST(finish.exit_code == 0, finish.err + finish.out);
  BOOST_TEST(target.checksums() == full_restore_sums(target));
  BOOST_TEST(invariant_problems(target).empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(return_markers().empty());
}

// Lost if it failed: an add killed after its re-link committed could be "rolled back" into
// messages pointing at dropped tables, or its staging would stay forever.
BOOST_AUTO_TEST_CASE(an_add_killed_after_its_relink_is_finished_not_rolled_back) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto killed = target.run("restore",
                                 {archive().string(), "--add-raw"},
                                 {"POSTAL_BACKUP_FAILPOINT=add_raw.after_relink"});
  BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
  const auto status = Json::parse(target.run("status", {"--json"}).out);
  BOOST_TEST(status.at("relinked") == true);
  BOOST_TEST(status.at("next_steps").size() == 1);
  const auto rollback = target.run("rollback");
  BOOST_TEST(rollback.exit_code == 5, rollback.err);
  BOOST_TEST(rollback.err.find("nothing to roll back") != std::string::npos, rollback.err);
  BOOST_TEST(target.checksums() == full_restore_sums(target));
  BOOST_TEST_REQUIRE(target.run("finish").exit_code == 0);
  BOOST_TEST(target.checksums() == full_restore_sums(target));
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(return_markers().empty());
}

// Lost if it failed: damage in the archive would be found only after raw tables went live,
// or leave staging databases behind.
BOOST_AUTO_TEST_CASE(a_damaged_member_is_refused_and_nothing_changes) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto before = target.checksums();
  auto members = read_archive_members(archive());
  // The last member holding rows: found only after every raw table was staged.
  const auto damaged = std::find_if(members.rbegin(), members.rend(), [](const auto& member) {
    return member.first.find("/rows-") != std::string::npos;
  });
  BOOST_TEST_REQUIRE((damaged != members.rend()));
  damaged->second[damaged->second.size() / 2] ^= 0x01;
  TempDir dir;
  const auto copy = dir / "damaged.tar";
  write_archive_members(copy, members);
  const auto added = target.run("restore", {copy.string(), "--add-raw"});
  BOOST_TEST(added.exit_code == 4, added.err);
  BOOST_TEST(added.err.find(damaged->first) != std::string::npos, added.err);
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(return_markers().empty());
}

// Lost if it failed: a mistyped add would do something else than asked, or write first.
BOOST_AUTO_TEST_CASE(bad_values_are_usage_errors_before_anything_is_written) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto before = target.checksums();
  const std::vector<std::vector<std::string>> bad{{"--without-raw"},
                                                  {"--raw-days", "0"},
                                                  {"--raw-since", "2024-02-30"},
                                                  {"--raw-since", "2024-01-01", "--raw-days", "2"},
                                                  {"--force"},
                                                  {"--target-version", "2.1.4"},
                                                  {"--keep-previous"}};
  for (auto args : bad) {
    BOOST_TEST_CONTEXT(args.at(0)) {
      args.insert(args.begin(), {archive().string(), "--add-raw"});
      const auto result = target.run("restore", args);
      BOOST_TEST(result.exit_code == 2, result.err);
      BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') <= 2, result.err);
    }
  }
  auto args = target.connection_args();
  args.insert(args.begin(), {"restore", "-", "--add-raw"});
  const auto piped = run_tool_with_input(args, "not read");
  BOOST_TEST(piped.exit_code == 2, piped.err);
  BOOST_TEST(target.checksums() == before);
}

// Lost if it failed: days could not be brought back into an install upgraded since the
// selective restore (the raw tables' definition never changed), or would come back unlinked.
BOOST_AUTO_TEST_CASE(into_an_install_upgraded_since_the_days_come_back) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored = target.run("restore", {archive().string(), "--without-raw", "--quiet"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err);
  const auto refused = target.run("restore", {archive().string(), "--add-raw"});
  BOOST_TEST(refused.exit_code == 5, refused.err); // the gate is still closed
  const auto upgrade = run_command(
      {"sh", "-c", simulated_upgrade_command(test_server(), target.main_db(), "2.1.4")});
  BOOST_TEST_REQUIRE(upgrade.exit_code == 0, upgrade.err);
  BOOST_TEST_REQUIRE(target.run("finish", {"--quiet"}).exit_code == 0);
  const auto added = add_raw(target, {});
  BOOST_TEST(added.at("added").size() == source_raw(1).size() * k_servers);
  for (int id = 1; id <= k_servers; ++id) {
    for (const auto& day : source_raw(id)) {
      BOOST_TEST(messages_pointing_at(target.message_db(id), day) == source_pointing(id, day));
    }
  }
  BOOST_TEST(invariant_problems(target).empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: whoever can write to the journal could make `rollback` drop any table of
// a Postal database (the brought-back names become identifiers).
BOOST_AUTO_TEST_CASE(a_forged_journal_name_is_refused_and_drops_nothing) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto killed = target.run("restore",
                                 {archive().string(), "--add-raw", "--raw-days", "1"},
                                 {"POSTAL_BACKUP_FAILPOINT=add_raw.after_rename"});
  BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
  const auto before = target.checksums();
  for (const char* forged : {"messages", "raw-2024-02-30", "raw-2024-01-01`; DROP"}) {
    BOOST_TEST_CONTEXT(forged) {
      auto connection = root();
      connection.execute(
          "UPDATE postal_backup.restore_raw_tables SET table_name = " + connection.quote(forged)
          + " WHERE position = 0 AND restore_id = (SELECT id FROM postal_backup.restores ORDER "
            "BY started_at DESC LIMIT 1)");
      const auto rollback = target.run("rollback");
      BOOST_TEST(rollback.exit_code == 1, rollback.err);
      BOOST_TEST(rollback.err.find("not written by postal-backup") != std::string::npos,
                 rollback.err);
      BOOST_TEST(target.checksums() == before);
    }
  }
  auto connection = root();
  connection.execute("UPDATE postal_backup.restore_raw_tables SET table_name = "
                     + connection.quote(source_raw(1).back()) + " WHERE position = 0");
  BOOST_TEST_REQUIRE(target.run("rollback").exit_code == 0);
}

// Lost if it failed: after an upgrade of postal-backup, `status`, `finish` and `rollback` could
// not read a journal an earlier version wrote (no kind, no raw tables), or a restore into it
// would fail.
BOOST_AUTO_TEST_CASE(a_journal_written_before_kinds_is_read_and_upgraded) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  auto connection = root();
  connection.execute("ALTER TABLE postal_backup.restores DROP COLUMN kind");
  connection.execute("DROP TABLE postal_backup.restore_raw_tables");
  const auto status = target.run("status", {"--json"});
  BOOST_TEST_REQUIRE(status.exit_code == 0, status.err);
  BOOST_TEST(Json::parse(status.out).at("kind") == "restore");
  BOOST_TEST(Json::parse(status.out).at("raw_left_out").empty());
  const auto added = add_raw(target, {});
  BOOST_TEST(added.at("added").size() == source_raw(1).size() * k_servers);
  BOOST_TEST(target.checksums() == full_restore_sums(target));
}

// Lost if it failed: a raw table Postal could not read (a crafted or foreign archive whose
// raw table lacks Postal's columns) would go live and its messages be linked to it.
BOOST_AUTO_TEST_CASE(a_raw_table_not_of_postals_definition_is_refused) {
  RestoreTarget target(test_server(), std::nullopt);
  restore_without_raw(target);
  const auto before = target.checksums();
  auto members = read_archive_members(archive());
  const auto day = source_raw(1).front();
  const auto path =
      pbk::archive::schema_member_path(shared.sample.source.prefix() + "-server-1", day);
  const std::string sql = "CREATE TABLE `" + day
                          + "` (`id` int(11) NOT NULL AUTO_INCREMENT, `data` longblob, `other` "
                            "int(11) DEFAULT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT "
                            "CHARSET=utf8";
  reseal_member(members, path, zstd_compressed(sql), sql.size());
  TempDir dir;
  const auto crafted = dir / "crafted.tar";
  write_archive_members(crafted, members);
  const auto added = target.run("restore", {crafted.string(), "--add-raw"});
  BOOST_TEST(added.exit_code == 4, added.err);
  BOOST_TEST(added.err.find(day + " with the columns id, data, next") != std::string::npos,
             added.err);
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(return_markers().empty());
}

BOOST_AUTO_TEST_SUITE_END()
