// SPDX-License-Identifier: MIT
// Selective restores (`restore --without-raw`, `--raw-since DATE`, `--raw-days N`) on the real
// server: what is left out, that the messages of left-out raw tables end exactly as Postal's own
// raw-message retention leaves them (compared with that retention's statements run on a full
// restore), Postal's invariants afterwards, the dry run's report, the migration gate into a
// newer release, and a full restore afterwards identical to the source.
#include "postal/postal_invariants.hpp"
#include "postal/raw_tables.hpp"

#include "tests/support/archive_members.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

using namespace pbk::test;
using pbk::core::db::Connection;
using Json = nlohmann::json;

namespace {

constexpr const char* k_level_2_1_4 = "20210727210551";
constexpr int k_servers = 2;

// A Postal 1.x install with two mail servers, each with raw tables of three days.
struct SelectiveArchive {
  SelectiveArchive()
      : sample({"20180216114344", "18", k_servers, 30, 0, 23}) {
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

// What Postal's raw-message retention does to one raw table (docs: its scheduled task).
void retention_drops(const std::string& database, const std::string& table) {
  auto connection = root();
  const auto q = Connection::quote_identifier;
  connection.execute("UPDATE " + q(database)
                     + ".messages SET raw_table = NULL, raw_headers_id = NULL, raw_body_id = NULL, "
                       "size = NULL WHERE raw_table = "
                     + connection.quote(table));
  connection.execute("DELETE FROM " + q(database)
                     + ".raw_message_sizes WHERE table_name = " + connection.quote(table));
  connection.execute("DROP TABLE " + q(database) + "." + q(table));
}

// Checksums keyed by role ("main", "server-1", ...), so two targets compare.
std::map<std::string, std::map<std::string, std::string>> by_role(const RestoreTarget& target) {
  std::map<std::string, std::map<std::string, std::string>> sums;
  for (auto& [database, tables] : target.checksums()) {
    const auto key = database == target.main_db() ? std::string("main")
                                                  : database.substr(database.rfind("-server-") + 1);
    sums[key] = tables;
  }
  return sums;
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

struct SelectiveCase {
  [[nodiscard]] const std::filesystem::path& archive() const { return shared.sample.archive; }

  [[nodiscard]] std::vector<std::string> source_raw(int id) const {
    return raw_tables(shared.sample.source.prefix() + "-server-" + std::to_string(id));
  }

  // A full restore with retention's own statements run for `left_out` (per server id): what
  // a selective restore must leave.
  [[nodiscard]] std::map<std::string, std::map<std::string, std::string>>
  retention_oracle(const std::map<int, std::vector<std::string>>& left_out) const {
    RestoreTarget full(test_server(), std::nullopt);
    const auto restored = full.run("restore", {archive().string(), "--quiet"});
    BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err);
    for (const auto& [id, tables] : left_out) {
      for (const auto& table : tables) {
        retention_drops(full.message_db(id), table);
      }
    }
    return by_role(full);
  }

  // Restores with `option`, then holds the result to the oracle and to Postal's invariants.
  void check_selective(const std::vector<std::string>& option,
                       const std::map<int, std::vector<std::string>>& left_out) const {
    RestoreTarget target(test_server(), std::nullopt);
    auto args = option;
    args.insert(args.begin(), archive().string());
    args.emplace_back("--json");
    const auto restored = target.run("restore", args);
    BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
    const auto outcome = Json::parse(restored.out);
    std::size_t expected = 0;
    for (int id = 1; id <= k_servers; ++id) {
      const auto& out = left_out.contains(id) ? left_out.at(id) : std::vector<std::string>{};
      expected += out.size();
      std::vector<std::string> kept;
      for (const auto& table : source_raw(id)) {
        if (std::find(out.begin(), out.end(), table) == out.end()) {
          kept.push_back(table);
        }
      }
      BOOST_TEST(raw_tables(target.message_db(id)) == kept, "server " << id);
    }
    BOOST_TEST(outcome.at("raw_left_out").at("tables").size() == expected);
    BOOST_TEST(by_role(target) == retention_oracle(left_out));
    BOOST_TEST(invariant_problems(target).empty());
    BOOST_TEST(restore_leftovers(test_server()).empty());
  }

  const SelectiveArchive& shared = suite_shared<SelectiveArchive>();
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(SelectiveRestore,
                         SelectiveCase,
                         *shared_by_suite<SelectiveArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a restore without raw mail would leave messages pointing at tables that
// do not exist (Postal fails on them) or NULL more than retention does, and Postal's invariants
// would break.
BOOST_AUTO_TEST_CASE(without_raw_leaves_every_message_as_retention_does) {
  std::map<int, std::vector<std::string>> left_out;
  for (int id = 1; id <= k_servers; ++id) {
    left_out[id] = source_raw(id);
    BOOST_TEST_REQUIRE(left_out[id].size() >= 3);
  }
  check_selective({"--without-raw"}, left_out);
}

// Lost if it failed: --raw-since would keep days before the cut, or drop the cut's own day.
BOOST_AUTO_TEST_CASE(raw_since_leaves_out_the_days_before_it) {
  const auto cut = source_raw(1).at(1).substr(4); // the second day: one day left out
  std::map<int, std::vector<std::string>> left_out;
  for (int id = 1; id <= k_servers; ++id) {
    for (const auto& table : source_raw(id)) {
      if (table.substr(4) < cut) {
        left_out[id].push_back(table);
      }
    }
  }
  BOOST_TEST_REQUIRE(!left_out[1].empty());
  check_selective({"--raw-since", cut}, left_out);
}

// Lost if it failed: --raw-days would count from today, keeping nothing of an older archive,
// or keep another number of days than asked.
BOOST_AUTO_TEST_CASE(raw_days_keeps_the_newest_days_in_the_archive) {
  std::map<int, std::vector<std::string>> left_out;
  for (int id = 1; id <= k_servers; ++id) {
    auto tables = source_raw(id);
    tables.pop_back(); // the newest day is kept
    left_out[id] = tables;
  }
  check_selective({"--raw-days", "1"}, left_out);
}

// Lost if it failed: an operator could not see before restoring what a selective restore
// leaves out and saves, or the dry run would write.
BOOST_AUTO_TEST_CASE(dry_run_names_the_tables_left_out_and_the_bytes_saved) {
  RestoreTarget target(test_server(), std::nullopt);
  const auto json =
      target.run("restore", {archive().string(), "--dry-run", "--without-raw", "--json"});
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err + json.out);
  const auto left = Json::parse(json.out).at("raw_left_out");
  std::set<std::string> named;
  std::uint64_t stored = 0;
  for (const auto& table : left.at("tables")) {
    named.insert(table.at("database").get<std::string>() + "."
                 + table.at("table").get<std::string>());
    BOOST_TEST(table.at("bytes_stored").get<std::uint64_t>() > 0);
    BOOST_TEST(table.at("bytes_raw").get<std::uint64_t>() > 0);
    stored += table.at("bytes_stored").get<std::uint64_t>();
  }
  std::set<std::string> expected;
  for (int id = 1; id <= k_servers; ++id) {
    for (const auto& table : source_raw(id)) {
      expected.insert(target.message_db(id) + "." + table);
    }
  }
  BOOST_TEST(named == expected);
  BOOST_TEST(left.at("bytes_stored").get<std::uint64_t>() == stored);

  const auto text = target.run("plan", {archive().string(), "--raw-days", "1"});
  BOOST_TEST(text.exit_code == 0, text.err + text.out);
  const auto older = expected.size() - k_servers;
  BOOST_TEST(text.out.find("restore would leave out " + std::to_string(older) + " raw tables, ")
                 != std::string::npos,
             text.out);
  BOOST_TEST(text.out.find(target.message_db(1) + ": " + source_raw(1).at(0)) != std::string::npos,
             text.out);
  BOOST_TEST(target.checksums().empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a selective restore into a newer release could go live without its
// migrations, or never finish once they ran.
BOOST_AUTO_TEST_CASE(into_a_newer_release_the_gate_still_applies) {
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored = target.run("restore", {archive().string(), "--without-raw", "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err + restored.out);
  BOOST_TEST(Json::parse(restored.out).at("state") == "awaiting_migrations");
  BOOST_TEST(target.run("finish").exit_code == 3);
  const auto upgrade = run_command(
      {"sh", "-c", simulated_upgrade_command(test_server(), target.main_db(), "2.1.4")});
  BOOST_TEST_REQUIRE(upgrade.exit_code == 0, upgrade.err);
  const auto finished = target.run("finish", {"--json"});
  BOOST_TEST(finished.exit_code == 0, finished.err + finished.out);
  for (int id = 1; id <= k_servers; ++id) {
    BOOST_TEST(raw_tables(target.message_db(id)).empty());
  }
  BOOST_TEST(invariant_problems(target).empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: raw mail left out to get Postal running fast could not be brought back by
// restoring the same archive in full.
BOOST_AUTO_TEST_CASE(a_full_restore_afterwards_is_identical_to_the_source) {
  RestoreTarget target(test_server(), std::nullopt);
  BOOST_TEST_REQUIRE(
      target.run("restore", {archive().string(), "--without-raw", "--quiet"}).exit_code == 0);
  const auto full = target.run("restore", {archive().string(), "--force", "--quiet"});
  BOOST_TEST_REQUIRE(full.exit_code == 3, full.err); // it replaced data: kept until finish
  BOOST_TEST_REQUIRE(target.run("finish", {"--quiet"}).exit_code == 0);
  BOOST_TEST(target.checksums()
             == as_restored_into(shared.source_sums, shared.sample.source, target));
}

// Lost if it failed: damage in a left-out raw table would go unnoticed, so a selective restore
// would vouch for an archive that `verify` refuses and a later full restore cannot use.
BOOST_AUTO_TEST_CASE(a_damaged_left_out_member_is_still_refused) {
  auto members = read_archive_members(archive());
  const auto damaged = std::find_if(members.begin(), members.end(), [](const auto& member) {
    return member.first.find("/raw-") != std::string::npos
           && member.first.find("/rows-") != std::string::npos;
  });
  BOOST_TEST_REQUIRE((damaged != members.end()));
  damaged->second[damaged->second.size() / 2] ^= 0x01;
  TempDir dir;
  const auto copy = dir / "damaged.tar";
  write_archive_members(copy, members);
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored = target.run("restore", {copy.string(), "--without-raw"});
  BOOST_TEST(restored.exit_code == 4, restored.err);
  BOOST_TEST(restored.err.find(damaged->first) != std::string::npos, restored.err);
  BOOST_TEST(target.checksums().empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a mistyped cut would restore something else than asked, or fail after
// writing.
BOOST_AUTO_TEST_CASE(bad_values_are_usage_errors_before_anything_is_written) {
  RestoreTarget target(test_server(), std::nullopt);
  const std::vector<std::vector<std::string>> bad{{"--raw-since", "2024-13-01"},
                                                  {"--raw-since", "yesterday"},
                                                  {"--raw-since", "2024-1-01"},
                                                  {"--raw-days", "0"},
                                                  {"--raw-days", "-3"},
                                                  {"--raw-days", "7d"},
                                                  {"--without-raw", "--raw-days", "3"},
                                                  {"--raw-since", "2024-01-01", "--raw-days", "3"}};
  for (auto args : bad) {
    BOOST_TEST_CONTEXT(args.at(0) << " " << args.at(1)) {
      args.insert(args.begin(), archive().string());
      const auto result = target.run("restore", args);
      BOOST_TEST(result.exit_code == 2, result.err);
      BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') <= 2, result.err);
      BOOST_TEST((result.err.find("--raw") != std::string::npos), result.err);
    }
  }
  const auto plan =
      run_tool({"plan", archive().string(), "--target-version", "2.1.4", "--without-raw"});
  BOOST_TEST(plan.exit_code == 2, plan.err);
  BOOST_TEST(plan.err.find("connection options") != std::string::npos, plan.err);
  BOOST_TEST(target.checksums().empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
