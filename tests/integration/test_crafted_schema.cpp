// SPDX-License-Identifier: MIT
// Archives from a host nobody trusts any more (issue 11, B1): a real archive whose schema.sql
// of `servers`, or whose backup.json, is replaced by SQL that would read account hashes or
// server files into the live database, put files outside the data directory, write into
// another database or burn the server's CPU, with the manifest resealed so that every digest
// matches. Restore must refuse each (exit 4, one line naming the table and the reason) and
// write nothing: the live databases unchanged, no staging left, no other database created or
// changed, no file written.
#include "archive/manifest_json.hpp"
#include "archive/member_path.hpp"

#include "core/db/connection.hpp"
#include "tests/support/resealed_archive.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace pbk::test;
using pbk::core::db::Connection;

namespace {

constexpr const char* k_level = "20180216114344";

struct CraftedArchive {
  CraftedArchive()
      : source(test_server(), {k_level, "18", 1, 5, 0, 61}) {
    create_archive(source, archive);
    members = read_archive_members(archive);
    schema_path = pbk::archive::schema_member_path(source.main_db(), "servers");
    for (const auto& [path, data] : members) {
      if (path == schema_path) {
        schema = zstd_decompressed(data);
      }
    }
    BOOST_TEST_REQUIRE(schema.find(") ENGINE=InnoDB") != std::string::npos, schema);
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
  ArchiveMembers members;
  std::string schema_path;
  std::string schema;
};

// The suite's archive, read only; each case writes its crafted copies to a directory of its own.
struct CraftedArchiveCase {
  // The archive with `servers`' schema.sql replaced by `sql`.
  [[nodiscard]] std::filesystem::path with_schema(const std::string& sql) const {
    auto crafted = members;
    reseal_member(crafted, shared.schema_path, zstd_compressed(sql), sql.size());
    const auto path = dir / "crafted.tar";
    write_archive_members(path, crafted);
    return path;
  }

  // `servers`' schema with `insert` put just before its table options.
  [[nodiscard]] std::string schema_with(const std::string& before_options,
                                        const std::string& options) const {
    const auto& schema = shared.schema;
    const auto at = schema.find(") ENGINE=InnoDB");
    return schema.substr(0, at) + before_options + ") " + options
           + schema.substr(at + std::string(") ENGINE=InnoDB").size());
  }

  const CraftedArchive& shared = suite_shared<CraftedArchive>();
  const PostalSample& source = shared.source;
  const ArchiveMembers& members = shared.members;
  TempDir dir;
};

// Every database but the tool's own journal, which records the refused restore.
std::vector<std::string> all_databases() {
  auto databases = databases_like(test_server(), "%");
  std::erase(databases, "postal_backup");
  return databases;
}

// Restores `crafted` into a fresh install of the archive's level and expects exit 4 with
// `reason` on the first line of the error, and nothing written anywhere.
void expect_refused_untouched(const std::filesystem::path& crafted,
                              const std::string& reason,
                              const std::vector<std::string>& watched = {}) {
  RestoreTarget target(test_server(), k_level);
  const auto before = target.checksums();
  const auto databases_before = all_databases();
  auto admin = Connection::connect(test_server().root_options());
  std::vector<std::map<std::string, std::string>> watched_before;
  for (const auto& database : watched) {
    watched_before.push_back(table_checksums(admin, database));
  }
  const auto restored = target.run("restore", {crafted.string()});
  BOOST_TEST(restored.exit_code == 4, restored.err);
  const auto first_line = restored.err.substr(0, restored.err.find('\n'));
  BOOST_TEST(first_line.find(reason) != std::string::npos, restored.err);
  BOOST_TEST(target.checksums() == before);
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(all_databases() == databases_before);
  for (std::size_t i = 0; i < watched.size(); ++i) {
    BOOST_TEST(table_checksums(admin, watched[i]) == watched_before[i]);
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(CraftedSchema,
                         CraftedArchiveCase,
                         *shared_by_suite<CraftedArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: an archive from a compromised host could copy the server's account
// hashes or files into the live Postal database, place a tablespace anywhere on the server's
// disk, write its rows into another database or make every inserted row cost seconds of CPU.
BOOST_AUTO_TEST_CASE(schema_attacks_are_refused_before_anything_is_written) {
  const std::string refused = "schema of servers is refused: ";
  // MariaDB reads `--` and any control character as a comment; the old check did not.
  expect_refused_untouched(with_schema(schema_with(",\n  `x` text --\x7f '\n",
                                                   "SELECT `Priv` AS `x` FROM "
                                                   "mysql.global_priv -- '\n) ENGINE=InnoDB")),
                           refused + "it holds a comment");
  expect_refused_untouched(
      with_schema(schema_with("", "ENGINE=InnoDB SELECT * FROM mysql.global_priv")),
      refused + "SELECT would fill or shape it from other tables");
  expect_refused_untouched(
      with_schema(schema_with("", "ENGINE=InnoDB SELECT LOAD_FILE('/etc/hostname') AS `uuid`")),
      refused + "SELECT would fill");
  expect_refused_untouched(
      with_schema(
          schema_with(",\n  `f` longblob DEFAULT LOAD_FILE('/etc/hostname')\n", "ENGINE=InnoDB")),
      refused + "a DEFAULT is not a literal (LOAD_FILE)");

  TempDir outside;
  expect_refused_untouched(
      with_schema(
          schema_with("", "ENGINE=InnoDB DATA DIRECTORY='" + outside.path().string() + "'")),
      refused + "DATA DIRECTORY would put the table's files outside the data directory");
  BOOST_TEST(std::filesystem::is_empty(outside.path()));

  ScratchDatabase other(test_server());
  other.connect().execute("CREATE TABLE `servers` (`id` int(11) NOT NULL) ENGINE=MyISAM");
  expect_refused_untouched(with_schema(schema_with("",
                                                   "ENGINE=MRG_MyISAM UNION=("
                                                       + Connection::quote_identifier(other.name())
                                                       + ".`servers`) INSERT_METHOD=LAST")),
                           refused + "ENGINE=MRG_MYISAM is not InnoDB",
                           {other.name()});
  expect_refused_untouched(
      with_schema(schema_with(",\n  CONSTRAINT `c` CHECK (length(repeat('a', 100000000)) > 0)\n",
                              "ENGINE=InnoDB")),
      refused + "CHECK constraints");
  expect_refused_untouched(
      with_schema(schema_with(",\n  `g` longtext GENERATED ALWAYS AS (repeat(`uuid`, 100000000)) "
                              "VIRTUAL\n",
                              "ENGINE=InnoDB")),
      refused + "column g: generated columns are refused");
}

// Lost if it failed: backup.json's charset or collation, concatenated into CREATE DATABASE,
// could carry SQL of the archive's choosing to the server.
BOOST_AUTO_TEST_CASE(a_charset_carrying_sql_is_refused_before_anything_is_written) {
  auto info = pbk::archive::parse_backup_info(members.front().second);
  BOOST_TEST_REQUIRE(members.front().first == "backup.json");
  for (auto& database : info.databases) {
    database.collation = "utf8mb4_general_ci COMMENT 'x' DATA DIRECTORY='/tmp'";
  }
  auto crafted = members;
  const auto text = pbk::archive::serialize(info);
  reseal_member(crafted, "backup.json", text, text.size());
  const auto path = dir / "charset.tar";
  write_archive_members(path, crafted);
  expect_refused_untouched(path,
                           "backup.json gives database " + source.main_db()
                               + " a character set or collation that is not a plain name");
}

BOOST_AUTO_TEST_SUITE_END()
