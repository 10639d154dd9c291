// SPDX-License-Identifier: MIT
// `list` and `prune` on real archives: what prune must never delete (a foreign file named
// like ours, a .partial, the newest backup that verifies, anything on a dry run) and what
// `list --json` reports. The policy's date arithmetic is covered by the unit tests.
#include "tests/support/listing_json.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

using namespace pbk::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Two real archives of one small install, a second apart, made once for every test.
struct Archives {
  TempDir dir;
  fs::path older;
  fs::path newer;
};

fs::path
create_into(const PostalSample& sample, const fs::path& dir, std::vector<std::string> extra) {
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output-dir", dir.string(), "--quiet", "--json"});
  args.insert(args.end(), extra.begin(), extra.end());
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  return Json::parse(created.out).at("path").get<std::string>();
}

const Archives& archives() {
  static const auto made = [] {
    auto result = std::make_unique<Archives>();
    const PostalSample sample(test_server(), {"20240311205229", "20", 1, 20, 0, 7});
    result->older = create_into(sample, result->dir.path(), {});
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // created_at has seconds
    result->newer = create_into(sample, result->dir.path(), {"--tag", "nightly"});
    return result;
  }();
  return *made;
}

// A backup directory for one test: both archives, plus what a real directory also holds.
struct BackupDir {
  BackupDir() {
    fs::copy_file(archives().older, dir / older);
    fs::copy_file(archives().newer, dir / newer);
    replace_file(dir / k_foreign, std::string(4096, 'x')); // named like ours, is not
    replace_file(dir / k_notes, "restore drill done 2026-11-01\n");
    // A create still writing: its backup.json is there, its manifest not yet.
    const auto data = file_contents(archives().newer);
    replace_file(dir / k_partial, data.substr(0, data.size() / 2));
  }

  [[nodiscard]] CommandResult run(std::vector<std::string> args) const {
    args.insert(args.begin() + 1, dir.path().string());
    return run_tool(args);
  }

  [[nodiscard]] bool has(const std::string& name) const { return fs::exists(dir / name); }

  static constexpr const char* k_foreign = "postal-backup-20990101T000000Z-level-1.tar";
  static constexpr const char* k_notes = "NOTES.txt";
  static constexpr const char* k_partial = "postal-backup-20990102T000000Z-level-1.tar.partial";
  TempDir dir;
  std::string older = archives().older.filename().string();
  std::string newer = archives().newer.filename().string();
};

// One bit flipped inside the compressed rows of the messages table: the tar structure and
// the manifest stay intact, so only a full verify can notice.
std::string flipped_inside(std::string data) {
  const auto header = data.find("/messages/rows-000001.tsv.zst");
  BOOST_TEST_REQUIRE(header != std::string::npos);
  const auto frame = data.find("\x28\xb5\x2f\xfd", header); // zstd frame magic
  BOOST_TEST_REQUIRE(frame != std::string::npos);
  data[frame + 24] ^= 0x01;
  return data;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(RetentionCli, BackupDir, *boost::unit_test::precondition(require_server))

// Lost if it failed: `list` would hide backups, show a foreign file as a backup, or claim a
// backup verified when nothing checked it; scripts reading --json would break.
BOOST_AUTO_TEST_CASE(list_json_reports_backups_by_content) {
  const auto listed = run({"list", "--json"});
  BOOST_TEST_REQUIRE(listed.exit_code == 0, listed.err);
  const auto document = Json::parse(listed.out);
  const auto& backups = document.at("backups");
  BOOST_TEST_REQUIRE(backups.size() == 3u);
  BOOST_TEST(backups[0].at("file") == newer); // newest first, the .partial last
  BOOST_TEST(backups[1].at("file") == older);
  BOOST_TEST(backups[2].at("file") == k_partial);
  BOOST_TEST(backups[0].at("state") == "complete");
  BOOST_TEST(backups[0].at("tag") == "nightly");
  BOOST_TEST(backups[1].at("tag").is_null());
  BOOST_TEST(backups[0].at("main_schema_level") == "20240311205229");
  BOOST_TEST(backups[0].at("message_levels") == Json({"20"}));
  BOOST_TEST(backups[0].at("size") == fs::file_size(dir / newer));
  BOOST_TEST(backups[0].at("verified") == "not_checked");
  BOOST_TEST(backups[0].at("created_at") > backups[1].at("created_at"));
  BOOST_TEST(backups[2].at("state") == "in_progress");
  BOOST_TEST(backups[2].at("verified") == "not_applicable");
  const auto& ignored = document.at("ignored");
  BOOST_TEST_REQUIRE(ignored.size() == 2u);
  BOOST_TEST(ignored[0].at("file") == "NOTES.txt");
  BOOST_TEST(ignored[1].at("file") == k_foreign);

  const auto verified = run({"list", "--json", "--verify"});
  BOOST_TEST_REQUIRE(verified.exit_code == 0, verified.err);
  BOOST_TEST(Json::parse(verified.out).at("backups")[1].at("verified") == "ok");

  const auto human = run({"list"});
  BOOST_TEST(human.exit_code == 0, human.err);
  BOOST_TEST(human.out.find("nightly") != std::string::npos, human.out);
  BOOST_TEST(human.out.find("not checked") != std::string::npos, human.out);
}

// Lost if it failed: prune would delete another program's file that merely carries our name
// pattern, or a backup that create is still writing.
BOOST_AUTO_TEST_CASE(foreign_and_partial_files_survive) {
  const auto pruned = run({"prune", "--keep-last", "1"});
  BOOST_TEST_REQUIRE(pruned.exit_code == 0, pruned.err);
  BOOST_TEST(pruned.out.find("removed  " + older) != std::string::npos, pruned.out);
  BOOST_TEST(pruned.out.find("keep  " + newer + "  (newest intact backup (verified); last)")
                 != std::string::npos,
             pruned.out);
  BOOST_TEST(!has(older));
  BOOST_TEST(has(newer));
  BOOST_TEST(has(k_foreign));
  BOOST_TEST(has(k_partial));
  BOOST_TEST(has(k_notes));
}

// Lost if it failed: a policy that matches nothing (or a damaged newest backup) could leave
// the operator with no restorable backup at all.
BOOST_AUTO_TEST_CASE(newest_intact_backup_survives_any_policy) {
  const auto nothing = run({"prune", "--keep-tag", "no-such-tag", "--json"});
  BOOST_TEST_REQUIRE(nothing.exit_code == 0, nothing.err);
  BOOST_TEST(has(newer));
  BOOST_TEST(!has(older));
  BOOST_TEST(Json::parse(nothing.out).at("newest_intact") == newer);
}

// Lost if it failed: with a flipped byte in the newest backup, --keep-last 1 would keep only
// that damaged file and delete the last backup that can actually be restored.
BOOST_AUTO_TEST_CASE(damaged_newest_does_not_count) {
  replace_file(dir / newer, flipped_inside(file_contents(dir / newer)));
  const auto pruned = run({"prune", "--keep-last", "1", "--json"});
  BOOST_TEST(pruned.exit_code == 4, pruned.err); // damage is reported, not hidden
  const auto document = Json::parse(pruned.out);
  BOOST_TEST(document.at("newest_intact") == older);
  const auto damaged = entry_for(document, newer);
  BOOST_TEST(damaged.at("verified") == "failed", damaged.dump());
  BOOST_TEST(damaged.at("keep") == true);
  const auto intact = entry_for(document, older);
  BOOST_TEST(intact.at("verified") == "ok");
  BOOST_TEST(has_reason(intact, "newest intact backup"));
  BOOST_TEST(has(newer));
  BOOST_TEST(has(older));
}

// Lost if it failed: an operator trying a policy with --dry-run would lose backups.
BOOST_AUTO_TEST_CASE(dry_run_removes_nothing) {
  const auto pruned = run({"prune", "--keep-last", "1", "--dry-run", "--json"});
  BOOST_TEST_REQUIRE(pruned.exit_code == 0, pruned.err);
  const auto old_entry = entry_for(Json::parse(pruned.out), older);
  BOOST_TEST(old_entry.at("keep") == false);
  BOOST_TEST(old_entry.at("removed") == false);
  BOOST_TEST(has(older));
  BOOST_TEST(has(newer));
  const auto human = run({"prune", "--keep-last", "1", "-n"});
  BOOST_TEST(human.out.find("would remove  " + older) != std::string::npos, human.out);
  BOOST_TEST(has(older));
}

// Lost if it failed: `prune DIR` with a forgotten policy would delete all but one backup.
BOOST_AUTO_TEST_CASE(prune_without_a_policy_is_refused) {
  const auto pruned = run({"prune"});
  BOOST_TEST(pruned.exit_code == 2);
  BOOST_TEST(pruned.err.find("at least one --keep-*") != std::string::npos, pruned.err);
  BOOST_TEST(has(older));
  BOOST_TEST(has(newer));
}

// Lost if it failed: the one-line cron job (create --prune) would not prune, or would prune
// with a mistyped policy only after spending a whole backup run.
BOOST_AUTO_TEST_CASE(create_prune_does_both) {
  const auto refused = run_tool({"create",
                                 "--output-dir",
                                 dir.path().string(),
                                 "--keep-last",
                                 "1",
                                 "--socket",
                                 "/nonexistent"});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.err.find("--keep-* options need --prune") != std::string::npos, refused.err);

  const PostalSample sample(test_server(), {"20240311205229", "20", 1, 5, 0, 8});
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(),
              {"--output-dir", dir.path().string(), "--json", "--prune", "--keep-last", "1"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const auto document = Json::parse(created.out);
  const auto fresh = fs::path(document.at("path").get<std::string>()).filename().string();
  BOOST_TEST(document.at("prune").at("newest_intact") == fresh);
  BOOST_TEST(has(fresh));
  BOOST_TEST(!has(older));
  BOOST_TEST(!has(newer));
  BOOST_TEST(has(k_foreign));
  BOOST_TEST(has(k_partial));
}

BOOST_AUTO_TEST_SUITE_END()
