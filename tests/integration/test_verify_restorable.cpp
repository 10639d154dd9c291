// SPDX-License-Identifier: MIT
// verify accepts only archives restore can load: archives forged to be self-consistent (every
// digest and count recorded) but holding a table definition restore refuses, rows that break
// the row grammar or do not fit their table, or a member placed under no table of backup.json.
// Each must fail verify (exit 4) as it fails restore, so prune never keeps one as the newest
// good backup, and restore must leave the target as it was.
#include "tests/support/resealed_archive.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::test;

namespace {

struct ForgedArchives {
  ForgedArchives()
      : sample(test_server(), {"20210727210551", "20", 1, 30, 0, 23}) {
    auto args = sample.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"-o", good().string(), "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
    members = read_archive_members(good());
  }

  [[nodiscard]] std::filesystem::path good() const { return dir.path() / "good.tar"; }

  [[nodiscard]] std::string path_ending(const std::string& suffix) const {
    for (const auto& [path, data] : members) {
      if (path.ends_with(suffix)) {
        return path;
      }
    }
    BOOST_FAIL("no member ends with " + suffix);
    return {};
  }

  [[nodiscard]] std::string contents(const std::string& path) const {
    for (const auto& [name, data] : members) {
      if (name == path) {
        return zstd_decompressed(data);
      }
    }
    BOOST_FAIL("no member " + path);
    return {};
  }

  PostalSample sample;
  TempDir dir;
  ArchiveMembers members;
};

// The suite's archive, read only; each case writes its forgeries to a directory of its own.
struct ForgedArchivesCase {
  [[nodiscard]] std::string path_ending(const std::string& suffix) const {
    return shared.path_ending(suffix);
  }

  [[nodiscard]] std::string contents(const std::string& path) const {
    return shared.contents(path);
  }

  // Verify refuses the forgery naming `fragment`; restore refuses it too and writes nothing.
  void expect_refused(const std::string& name,
                      const ArchiveMembers& forged,
                      const std::string& fragment) const {
    const auto path = dir.path() / (name + ".tar");
    write_archive_members(path, forged);
    const auto verified = run_tool({"verify", path.string()});
    BOOST_TEST(verified.exit_code == 4, name << ": verify exit " << verified.exit_code);
    BOOST_TEST(verified.err.find(fragment) != std::string::npos,
               name << ": expected '" << fragment << "' in: " << verified.err);
    RestoreTarget target(test_server(), std::nullopt);
    const auto before = target.checksums();
    const auto restored = target.run("restore", {path.string()});
    BOOST_TEST(restored.exit_code != 0, name << ": restore exit 0");
    BOOST_TEST(target.checksums() == before);
    BOOST_TEST(restore_leftovers(test_server()).empty());
  }

  [[nodiscard]] std::filesystem::path good() const { return shared.good(); }

  const ForgedArchives& shared = suite_shared<ForgedArchives>();
  const ArchiveMembers& members = shared.members;
  TempDir dir;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(VerifyRestorable,
                         ForgedArchivesCase,
                         *shared_by_suite<ForgedArchives>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: an archive whose table definition restore refuses would verify, and
// prune would keep it as the newest good backup while deleting the ones that restore.
BOOST_AUTO_TEST_CASE(a_table_definition_restore_refuses) {
  BOOST_TEST_REQUIRE(run_tool({"verify", good().string()}).exit_code == 0);
  const auto schema = path_ending("/credentials/schema.sql.zst");
  auto forged = members;
  replace_table_member(forged, schema, contents(schema) + "DROP DATABASE mysql;\n");
  expect_refused("ddl", forged, schema);
}

// Lost if it failed: rows the server cannot take (a field too many, an escape the encoder
// never writes) would verify, and the restore of the newest "good" backup would fail.
BOOST_AUTO_TEST_CASE(rows_that_break_the_grammar_or_the_table) {
  const auto rows = path_ending("/messages/rows-000001.tsv.zst");
  const auto original = contents(rows);
  BOOST_TEST_REQUIRE(!original.empty());

  auto wider = members;
  replace_table_member(wider, rows, "extra\t" + original);
  expect_refused("wider", wider, "more than its table has columns");

  auto escaped = members;
  replace_table_member(escaped, rows, "\\q" + original);
  expect_refused("escape", escaped, rows);
}

// Lost if it failed: a member moved under a table backup.json does not list (or before its
// table's schema) would verify, though restore cannot place it.
BOOST_AUTO_TEST_CASE(members_restore_cannot_place) {
  const auto rows = path_ending("/messages/rows-000001.tsv.zst");
  auto elsewhere = members;
  const auto moved = rows.substr(0, rows.find('/')) + "/not_listed/rows-000001.tsv.zst";
  rename_member(elsewhere, rows, moved);
  expect_refused("elsewhere", elsewhere, "belongs to no table backup.json lists");

  auto not_rows = members;
  const auto renamed = rows.substr(0, rows.rfind('/')) + "/notes.txt.zst";
  rename_member(not_rows, rows, renamed);
  expect_refused("not-rows", not_rows, "neither a schema nor a rows member");
}

BOOST_AUTO_TEST_SUITE_END()
