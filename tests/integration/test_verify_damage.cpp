// SPDX-License-Identifier: MIT
// verify against every kind of damage an archive meets on disks, tapes and networks: a
// flipped byte in any member, truncation, missing, duplicated and reordered members, and an
// edited manifest. Each must give exit 4 naming the damage, never "ok".
#include "tests/support/archive_members.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/suite_shared.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace pbk::test;
using Members = ArchiveMembers;

namespace {

void expect_damage(const std::filesystem::path& archive, const std::string& fragment) {
  const auto result = run_tool({"verify", archive.string()});
  BOOST_TEST(result.exit_code == 4, archive.filename() << ": exit " << result.exit_code);
  BOOST_TEST(result.err.find(fragment) != std::string::npos,
             "expected '" << fragment << "' in: " << result.err);
}

// One archive shared by the cases of this suite: building it needs the server.
struct GoodArchive {
  GoodArchive()
      : sample(test_server(), {"20210727210551", "20", 1, 30, 0, 11}) {
    auto args = sample.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"-o", good().string(), "--quiet"});
    const auto result = run_tool(args);
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    members = read_archive_members(good());
  }

  [[nodiscard]] std::filesystem::path good() const { return dir.path() / "good.tar"; }

  PostalSample sample;
  TempDir dir;
  Members members;
};

// Each case damages copies of the suite's archive in a directory of its own.
struct DamageFixture {
  [[nodiscard]] std::filesystem::path good() const { return shared.good(); }

  [[nodiscard]] std::filesystem::path variant(const std::string& name,
                                              const Members& changed) const {
    const auto path = dir.path() / (name + ".tar");
    write_archive_members(path, changed);
    return path;
  }

  const GoodArchive& shared = suite_shared<GoodArchive>();
  const Members& members = shared.members;
  TempDir dir;
};

} // namespace

BOOST_AUTO_TEST_SUITE(VerifyDamage,
                      *shared_by_suite<GoodArchive>()
                          * boost::unit_test::precondition(require_server))

// Lost if it failed: a bit rotted anywhere in the archive would be restored as if intact.
BOOST_FIXTURE_TEST_CASE(a_flipped_byte_in_any_member_is_caught, DamageFixture) {
  BOOST_TEST_REQUIRE(run_tool({"verify", good().string()}).exit_code == 0);
  BOOST_TEST_REQUIRE(members.size() > 10u);
  const std::string original = file_contents(good());
  std::size_t search_from = 0; // identical members exist (equal tables): search in order
  for (const auto& [path, data] : members) {
    if (data.empty()) {
      continue;
    }
    const auto at = original.find(data, search_from);
    search_from = at + data.size();
    BOOST_TEST_REQUIRE(at != std::string::npos);
    std::string damaged = original;
    damaged[at + data.size() / 2] ^= 0x10;
    const auto file = dir.path() / "flipped.tar";
    replace_file(file, damaged);
    const auto result = run_tool({"verify", file.string()});
    BOOST_TEST(result.exit_code == 4, path << " damaged but verify said " << result.exit_code);
    const bool named =
        result.err.find(path) != std::string::npos
        || (path == "manifest.json" && result.err.find("manifest") != std::string::npos);
    BOOST_TEST(named, path << " not named in: " << result.err);
  }
}

// Lost if it failed: a copy cut short by a full disk or a dropped transfer would verify.
BOOST_FIXTURE_TEST_CASE(a_truncated_archive_is_caught, DamageFixture) {
  const std::string original = file_contents(good());
  for (const double fraction : {0.1, 0.5, 0.9, 0.999}) {
    const auto file = dir.path() / "cut.tar";
    replace_file(file, original.substr(0, static_cast<std::size_t>(original.size() * fraction)));
    const auto result = run_tool({"verify", file.string()});
    BOOST_TEST(result.exit_code == 4, "cut at " << fraction << ": " << result.err);
  }
  // Cut exactly at a member boundary: the tar is well-formed, the manifest is missing.
  Members without_manifest(members.begin(), members.end() - 1);
  expect_damage(variant("no-manifest", without_manifest), "no manifest.json");
}

// Lost if it failed: an archive missing a table's rows, or holding one twice, would verify.
BOOST_FIXTURE_TEST_CASE(missing_duplicated_and_reordered_members_are_caught, DamageFixture) {
  // The first rows member, and its table's schema member somewhere before it: the writer
  // may emit other tables' schemas in between.
  const auto rows = static_cast<std::size_t>(
      std::find_if(members.begin(),
                   members.end(),
                   [](const auto& m) { return m.first.find("/rows-") != std::string::npos; })
      - members.begin());
  BOOST_REQUIRE(rows > 1 && rows < members.size());
  const auto table_directory = members[rows].first.substr(0, members[rows].first.rfind('/') + 1);
  const auto schema = static_cast<std::size_t>(
      std::find_if(members.begin(),
                   members.end(),
                   [&](const auto& m) { return m.first.starts_with(table_directory + "schema"); })
      - members.begin());
  BOOST_REQUIRE(schema < rows);

  Members missing = members;
  missing.erase(missing.begin() + static_cast<std::ptrdiff_t>(rows));
  expect_damage(variant("missing", missing), members[rows].first);

  Members duplicated = members;
  duplicated.insert(duplicated.begin() + static_cast<std::ptrdiff_t>(rows) + 1, members[rows]);
  expect_damage(variant("duplicated", duplicated), "out of place");

  // Rows moved before their table's schema: refused as the archive streams, as restore does.
  Members reordered = members;
  std::swap(reordered[schema], reordered[rows]);
  expect_damage(variant("reordered", reordered), "comes before the table's schema member");

  Members trailing = members;
  trailing.push_back(members[2]);
  expect_damage(variant("trailing", trailing), "follows manifest.json");

  Members renamed = members;
  renamed.front().first = "other.json";
  expect_damage(variant("no-backup-json", renamed), "not backup.json");
}

// Lost if it failed: a hand-edited manifest (row counts, checksums) would be believed.
BOOST_FIXTURE_TEST_CASE(an_edited_manifest_is_caught, DamageFixture) {
  Members edited = members;
  auto& manifest = edited.back().second;
  const auto at = manifest.find("\"rows\": ");
  BOOST_REQUIRE(at != std::string::npos);
  manifest.insert(at + 8, "1");
  expect_damage(variant("edited", edited), "does not match its own checksum");

  Members edited_info = members;
  edited_info.front().second.insert(edited_info.front().second.find('{') + 1, " ");
  expect_damage(variant("edited-info", edited_info), "backup.json checksum mismatch");
}

BOOST_AUTO_TEST_SUITE_END()
