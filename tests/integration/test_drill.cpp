// SPDX-License-Identifier: MIT
// `drill` on the real server: an archive restored into scratch databases and judged as Postal
// would see it, then dropped. A good archive passes and leaves nothing; a damaged member, a
// wrong schema or a broken invariant fails with exit 4 naming it and leaves nothing; a killed
// drill's leftovers go with the next drill; a directory is drilled through its newest backup
// that verifies; and the live databases are never changed.
#include "archive/archive_authenticity.hpp"
#include "archive/archive_walk.hpp"
#include "archive/create_database_statement.hpp"
#include "archive/manifest_json.hpp"
#include "archive/member_path.hpp"

#include "core/db/connection.hpp"
#include "core/reporter.hpp"
#include "restore/staging_loader.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/resealed_archive.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/zstd_text.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>

using namespace pbk::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;
using pbk::core::db::Connection;

namespace {

constexpr int k_killed = 128 + SIGKILL;
constexpr const char* k_scratch_pattern = "pbk\\_drill\\_%";

struct DrillArchive {
  DrillArchive()
      : source(test_server(), {"20210727210551", "20", 2, 30, 0, 16}) {
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", archive.string(), "--quiet", "--chunk-size", "1"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
    members = read_archive_members(archive);
  }

  PostalSample source;
  TempDir dir;
  fs::path archive = dir / "backup.tar";
  ArchiveMembers members;
};

// The suite's sample (the live install a drill must not touch) and its archive, read only;
// each case writes its own archives into a directory of its own.
struct DrillCase {
  const DrillArchive& shared = suite_shared<DrillArchive>();
  TempDir dir;

  [[nodiscard]] CommandResult drill(const std::vector<std::string>& args,
                                    std::vector<std::string> env = {}) const {
    std::vector<std::string> argv{"drill"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto connection = shared.source.connection_args();
    argv.insert(argv.end(), connection.begin(), connection.end());
    return run_tool(argv, std::move(env));
  }

  [[nodiscard]] std::string path_ending(const std::string& suffix) const {
    for (const auto& [path, data] : shared.members) {
      if (path.ends_with(suffix)) {
        return path;
      }
    }
    BOOST_FAIL("no member ends with " + suffix);
    return {};
  }

  [[nodiscard]] std::string contents(const std::string& path) const {
    for (const auto& [name, data] : shared.members) {
      if (name == path) {
        return zstd_decompressed(data);
      }
    }
    BOOST_FAIL("no member " + path);
    return {};
  }

  [[nodiscard]] fs::path written(const std::string& name, const ArchiveMembers& members) const {
    const auto path = dir.path() / (name + ".tar");
    write_archive_members(path, members);
    return path;
  }

  // A drill that must fail: exit 4 naming `fragment`, the live install as it was, and no
  // scratch database left.
  void expect_unhealthy(const fs::path& archive, const std::string& fragment) const {
    const auto before = sample_checksums(test_server(), shared.source);
    const auto result = drill({archive.string()});
    BOOST_TEST(result.exit_code == 4, result.out << result.err);
    BOOST_TEST((result.out + result.err).find(fragment) != std::string::npos,
               "expected '" << fragment << "' in: " << result.out << result.err);
    BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
    BOOST_TEST(sample_checksums(test_server(), shared.source) == before);
  }
};

// Waits up to a minute for a drill's scratch databases to appear.
bool scratch_appears() {
  for (int i = 0; i < 6000; ++i) {
    if (!databases_like(test_server(), k_scratch_pattern).empty()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(Drill,
                         DrillCase,
                         *shared_by_suite<DrillArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a good backup would be reported broken (alerts nobody trusts), or the
// drill would leave copies of every mailbox on the server, or change the live install.
BOOST_AUTO_TEST_CASE(a_good_archive_passes_and_leaves_nothing) {
  const auto before = sample_checksums(test_server(), shared.source);
  const auto metrics = dir.path() / "drill.prom";
  const auto result = drill({shared.archive.string(), "--metrics-file", metrics.string()}, {});
  BOOST_TEST(result.exit_code == 0, result.out << result.err);
  BOOST_TEST(result.out.find("healthy: ") != std::string::npos, result.out);
  BOOST_TEST(result.out.find(" matched the archive's content checksums") != std::string::npos,
             result.out);
  BOOST_TEST(result.out.find("row count only") == std::string::npos, result.out);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());
  BOOST_TEST(sample_checksums(test_server(), shared.source) == before);
  const auto text = file_contents(metrics);
  BOOST_TEST(text.find("postal_backup_drill_last_success_timestamp_seconds{command=\"drill\"} 0")
                 == std::string::npos,
             text);
  BOOST_TEST(text.find("postal_backup_drill_last_success_timestamp_seconds{command=\"drill\"} ")
                 != std::string::npos,
             text);
  BOOST_TEST(text.find("postal_backup_drill_bytes{command=\"drill\"} ") != std::string::npos);

  const auto json = run_tool([&] {
    std::vector<std::string> argv{"--json", "drill", shared.archive.string()};
    const auto connection = shared.source.connection_args();
    argv.insert(argv.end(), connection.begin(), connection.end());
    return argv;
  }());
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  const auto document = Json::parse(json.out);
  BOOST_TEST(document.at("healthy").get<bool>());
  BOOST_TEST(document.at("databases").size() == 3u);
  BOOST_TEST(document.at("failures").empty());
  // Every complete table of the archive: credentials, users, messages, raw tables…
  BOOST_TEST(document.at("tables_checksum_matched").get<std::size_t>() > 10u);
  BOOST_TEST(document.at("tables_counted_only").get<std::size_t>() == 0u);
  for (const auto& database : document.at("databases")) {
    BOOST_TEST(database.at("scratch").get<std::string>().starts_with("pbk_drill_"));
  }
}

// Lost if it failed: a backup with a damaged member would pass its drill, and the operator
// would learn at the restore that it cannot be restored.
BOOST_AUTO_TEST_CASE(a_damaged_member_fails_naming_it) {
  const auto rows = path_ending("/messages/rows-000001.tsv.zst");
  auto damaged = shared.members;
  for (auto& [path, data] : damaged) {
    if (path == rows) {
      data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x01);
    }
  }
  expect_unhealthy(written("damaged", damaged), rows);
}

// Lost if it failed: a backup whose tables do not have the structure of their recorded level
// would pass, and Postal (or its next migration) would fail on the restored install.
BOOST_AUTO_TEST_CASE(a_wrong_schema_fails_naming_it) {
  const auto schema = path_ending("/credentials/schema.sql.zst");
  auto sql = contents(schema);
  const auto end = sql.find("\n) ENGINE");
  BOOST_TEST_REQUIRE(end != std::string::npos, sql);
  sql.insert(end, ",\n  KEY `drill_extra_key` (`id`)");
  auto forged = shared.members;
  replace_table_member(forged, schema, sql);
  expect_unhealthy(written("schema", forged), "schema: ");
}

// Lost if it failed: a backup Postal could not use (raw messages its size table does not
// know) would pass its drill.
BOOST_AUTO_TEST_CASE(a_broken_invariant_fails_naming_it) {
  const auto sizes = path_ending("/raw_message_sizes/rows-000001.tsv.zst");
  auto forged = shared.members;
  replace_table_member(forged, sizes, "");
  expect_unhealthy(written("invariant", forged), "invariant: ");
}

// Lost if it failed: an archive whose rows the server changes on their way in would pass its
// drill with the right row counts, and the restore would bring back different data. The archive
// is self-consistent (member and content checksums match its TSV); only the server's
// conversion of a zero-padded id ("0…7" into an INT column lands as 7) makes the loaded table
// differ from it.
BOOST_AUTO_TEST_CASE(rows_that_land_differently_fail_naming_the_table) {
  const auto rows = path_ending("/credentials/rows-000001.tsv.zst");
  auto tsv = contents(rows);
  BOOST_TEST_REQUIRE(!tsv.empty());
  BOOST_TEST_REQUIRE((tsv[0] >= '1' && tsv[0] <= '9'), tsv.substr(0, 40));
  tsv.insert(0, "00");
  auto forged = shared.members;
  replace_table_member(forged, rows, tsv);
  // The row is 2 bytes longer: the table's largest row may be too, as a writer would record.
  auto manifest = pbk::archive::parse_manifest(forged.back().second);
  for (auto& table : manifest.tables) {
    if (table.table == "credentials") {
      table.max_row_size += 2;
    }
  }
  forged.back().second = pbk::archive::serialize(manifest);
  const auto label = rows.substr(0, rows.find("/credentials/")) + ".credentials";
  expect_unhealthy(written("converted", forged), label + ": the restored rows differ");
}

// Lost if it failed: the archives written before content checksums were recorded could no
// longer be drilled, or would pass without saying that only row counts were compared.
BOOST_AUTO_TEST_CASE(an_archive_without_content_checksums_is_checked_by_row_count) {
  auto older = shared.members;
  auto manifest = pbk::archive::parse_manifest(older.back().second);
  for (auto& table : manifest.tables) {
    table.content_sha256.reset();
  }
  older.back().second = pbk::archive::serialize(manifest);
  const auto result = drill({written("older", older).string()});
  BOOST_TEST(result.exit_code == 0, result.out << result.err);
  BOOST_TEST(result.out.find("0 tables matched the archive's content checksums")
                 != std::string::npos,
             result.out);
  BOOST_TEST(result.err.find("checked by row count only") != std::string::npos, result.err);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
}

// Lost if it failed: every drill killed by the OOM killer or a reboot would leave a full copy
// of the mail on the server, filling its disk week after week.
BOOST_AUTO_TEST_CASE(the_next_drill_drops_what_a_killed_drill_left) {
  const auto before = sample_checksums(test_server(), shared.source);
  const auto killed =
      drill({shared.archive.string()}, {"POSTAL_BACKUP_FAILPOINT=drill.after_member#3"});
  BOOST_TEST_REQUIRE(killed.exit_code == k_killed, killed.err);
  const auto left = databases_like(test_server(), k_scratch_pattern);
  BOOST_TEST_REQUIRE(!left.empty());
  const auto next = drill({shared.archive.string()});
  BOOST_TEST(next.exit_code == 0, next.out << next.err);
  BOOST_TEST(next.err.find("dropped " + left.front()) != std::string::npos, next.err);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
  BOOST_TEST(sample_checksums(test_server(), shared.source) == before);
}

// Lost if it failed: a drill would drop a database that is not a dead drill's: one whose name
// only looks like a scratch name, or the scratch databases of a drill still running (on
// another host, say) whose lock is held. Or it would leave a dead drill's databases, in the
// names drills give them now (`pbk_drill_<id>-server-<n>`) or gave them before
// (`pbk_drill_<id>_server_<n>`).
BOOST_AUTO_TEST_CASE(a_drill_drops_only_what_dead_drills_left) {
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  const std::vector<std::string> kept{"pbk_drill_abcdef01_main",
                                      "pbk_drill_ABCDEF01_main",
                                      "pbk_drill_abcdef0_main",
                                      "pbk_drill_abcdef0-server-1",
                                      "pbk_drill_abcdefgh_main",
                                      "pbk_drill_abcdef01"};
  const std::vector<std::string> dead{
      "pbk_drill_0badc0de_main", "pbk_drill_0badc0de-server-2", "pbk_drill_0badc0de_server_1"};
  BOOST_TEST_REQUIRE(
      admin.query_value("SELECT GET_LOCK('postal-backup:drill:abcdef01', 0)").value_or("") == "1");
  for (const auto& name : kept) {
    admin.execute("CREATE DATABASE " + pbk::core::db::Connection::quote_identifier(name));
  }
  for (const auto& name : dead) {
    admin.execute("CREATE DATABASE " + pbk::core::db::Connection::quote_identifier(name));
  }
  const auto result = drill({shared.archive.string()});
  BOOST_TEST(result.exit_code == 0, result.out << result.err);
  for (const auto& name : dead) {
    BOOST_TEST(result.err.find("dropped " + name + ",") != std::string::npos, result.err);
  }
  const auto left = databases_like(test_server(), k_scratch_pattern);
  for (const auto& name : kept) {
    BOOST_TEST((std::find(left.begin(), left.end(), name) != left.end()), name << " was dropped");
    admin.execute("DROP DATABASE " + pbk::core::db::Connection::quote_identifier(name));
  }
  BOOST_TEST(left.size() == kept.size());
}

// Lost if it failed: a drill stopped by its timer (SIGTERM) or by Ctrl-C would leave its
// scratch databases behind.
BOOST_AUTO_TEST_CASE(an_interrupted_drill_drops_its_databases) {
  std::vector<std::string> argv{std::getenv("PBK_BIN"), "drill", shared.archive.string()};
  const auto connection = shared.source.connection_args();
  argv.insert(argv.end(), connection.begin(), connection.end());
  TempDir logs;
  ::setenv("POSTAL_BACKUP_PAUSEPOINT", "drill.after_member=5000", 1);
  BackgroundProcess running(argv, logs.path());
  ::unsetenv("POSTAL_BACKUP_PAUSEPOINT");
  BOOST_TEST_REQUIRE(scratch_appears());
  running.signal(SIGTERM);
  BOOST_TEST(running.wait() == 130, running.err());
  BOOST_TEST(running.err().find("interrupted") != std::string::npos, running.err());
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
}

// Lost if it failed: a drill of the backup directory would test a damaged newest backup and
// fail forever, or pick an older one while a newer one restores.
BOOST_AUTO_TEST_CASE(a_directory_is_drilled_through_its_newest_verified_backup) {
  const auto backups = dir.path() / "backups";
  fs::create_directory(backups);
  auto args = shared.source.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output-dir", backups.string(), "--quiet"});
  BOOST_TEST_REQUIRE(run_tool(args).exit_code == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  BOOST_TEST_REQUIRE(run_tool(args).exit_code == 0);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(backups)) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  BOOST_TEST_REQUIRE(files.size() == 2u);
  const auto& older = files[0];
  const auto& newer = files[1];
  // The newer one damaged inside a data member: complete to a directory scan, not to verify.
  auto damaged = read_archive_members(newer);
  for (auto& [path, data] : damaged) {
    if (path.ends_with("/messages/rows-000001.tsv.zst")) {
      data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x01);
    }
  }
  write_archive_members(newer, damaged);
  const auto result = drill({backups.string()});
  BOOST_TEST(result.exit_code == 0, result.out << result.err);
  BOOST_TEST(result.err.find("drilling " + older.string()) != std::string::npos, result.err);
  BOOST_TEST(result.err.find(newer.filename().string() + " failed verify") != std::string::npos,
             result.err);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
}

// Lost if it failed: the backups of a repository (create --incremental), whose data members
// live in its store, could not be drilled, and the operators who keep only those could never
// prove they restore.
BOOST_AUTO_TEST_CASE(a_repository_backup_is_drilled) {
  const auto repository = dir.path() / "repository";
  fs::create_directory(repository);
  auto args = shared.source.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output-dir", repository.string(), "--incremental", "--quiet"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const auto result = drill({repository.string()});
  BOOST_TEST(result.exit_code == 0, result.out << result.err);
  BOOST_TEST(result.out.find("healthy: ") != std::string::npos, result.out);
  BOOST_TEST(databases_like(test_server(), k_scratch_pattern).empty());
}

// Lost if it failed: a drill reads each table back as soon as the load announces it complete;
// a table announced before its last member was committed would be read short and a good
// backup reported broken, and one announced twice or never would be read twice or late.
BOOST_AUTO_TEST_CASE(the_loader_announces_each_table_once_all_its_rows_are_committed) {
  using pbk::archive::TableId;
  pbk::archive::ArchiveScanner scanner(shared.archive.string());
  const auto contents = pbk::archive::read_authentic(
      scanner, std::nullopt, pbk::archive::KeyUse::optional, std::nullopt);
  scanner.rewind();
  pbk::archive::ArchiveWalk walk(scanner);
  const auto& info = walk.read_backup_info();
  auto control = Connection::connect(test_server().root_options());
  pbk::restore::StagingOptions staging;
  std::map<TableId, std::uint64_t> expected_rows;
  std::vector<std::string> staged;
  for (std::size_t i = 0; i < info.databases.size(); ++i) {
    staged.push_back("pbk_drill_announce_" + std::to_string(i));
    control.execute("DROP DATABASE IF EXISTS " + Connection::quote_identifier(staged.back()));
    control.execute(pbk::archive::create_database_sql(staged.back(), info.databases[i], "test"));
    staging.staging_for[info.databases[i].name] = staged.back();
  }
  for (const auto& table : contents.manifest.tables) {
    expected_rows[{staging.staging_for.at(table.database), table.table}] = table.rows;
  }
  staging.loading = test_server().root_options();
  staging.manifest = &contents.manifest;
  std::mutex mutex;
  std::map<TableId, int> announced;
  std::vector<std::string> short_when_announced;
  auto counter = Connection::connect(test_server().root_options());
  staging.on_table_loaded = [&](const TableId& table) {
    std::lock_guard lock(mutex);
    ++announced[table];
    const auto rows = counter.query_value("SELECT COUNT(*) FROM "
                                          + Connection::qualified_name(table.first, table.second));
    if (rows.value_or("") != std::to_string(expected_rows.at(table))) {
      short_when_announced.push_back(table.first + "." + table.second + ": "
                                     + rows.value_or("no rows"));
    }
  };
  pbk::core::SilentReporter reporter;
  {
    pbk::restore::StagingLoader loader(control, info, staging, reporter);
    (void)walk.read_members(
        [&](pbk::archive::ArchiveScanner& from, const pbk::core::tar::TarMember& member) {
          if (pbk::archive::config_file_name(pbk::archive::unsealed_path(member.path))) {
            return pbk::archive::observe_member(from, member, walk.opener());
          }
          return loader.load(from, member, walk.observed().size());
        },
        [&](std::vector<pbk::archive::ObservedMember>& observed) { loader.finish(observed); });
  }
  for (const auto& name : staged) {
    control.execute("DROP DATABASE " + Connection::quote_identifier(name));
  }
  std::string short_tables;
  for (const auto& line : short_when_announced) {
    short_tables += line + "; ";
  }
  BOOST_TEST(short_when_announced.empty(), short_tables);
  BOOST_TEST(announced.size() == expected_rows.size());
  for (const auto& [table, times] : announced) {
    BOOST_TEST(times == 1, table.first << "." << table.second << " announced " << times);
    BOOST_TEST(expected_rows.contains(table), table.first << "." << table.second);
  }
}

BOOST_AUTO_TEST_SUITE_END()
