// SPDX-License-Identifier: MIT
// Restores whose loaders meet on the same staging tables: many 1 MiB members of the same
// raw tables loaded by more loaders than there are tables, with every load method; and a
// loader that finds a staging table locked by another client. A member that loses a lock
// conflict is loaded again, never twice and never skipped: the restored tables must equal the
// source byte for byte.
#include "tests/support/archive_members.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

using namespace pbk::test;
using pbk::core::db::Connection;
using Json = nlohmann::json;

namespace {

// A Postal install whose raw tables hold a few MiB each, backed up in 1 MiB members.
struct ManyMembersArchive {
  ManyMembersArchive()
      : source(test_server(), {"20180216114344", "18", 1, 300, 0, 17}) {
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", archive.string(), "--chunk-size", "1", "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
    source_sums = sample_checksums(test_server(), source);
    for (const auto& [path, data] : read_archive_members(archive)) {
      if (path.find("/rows-") != std::string::npos) {
        ++members_of[path.substr(0, path.find("/rows-"))];
      }
    }
  }

  [[nodiscard]] InstallChecksums source_as(const RestoreTarget& target) const {
    return as_restored_into(source_sums, source, target);
  }

  // The table of the archive's first rows member: "<database>/<table>".
  [[nodiscard]] std::string first_loaded_table() const {
    for (const auto& [path, data] : read_archive_members(archive)) {
      if (path.find("/rows-") != std::string::npos) {
        return path.substr(0, path.find("/rows-"));
      }
    }
    return {};
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
  InstallChecksums source_sums;
  std::map<std::string, int> members_of; // "<database>/<table>" → rows members
};

// Every case restores the suite's archive into targets of its own; none writes to the source.
struct ManyMembersCase {
  [[nodiscard]] InstallChecksums source_as(const RestoreTarget& target) const {
    return shared.source_as(target);
  }

  [[nodiscard]] std::string first_loaded_table() const { return shared.first_loaded_table(); }

  const ManyMembersArchive& shared = suite_shared<ManyMembersArchive>();
  const std::filesystem::path& archive = shared.archive;
  const std::map<std::string, int>& members_of = shared.members_of;
};

std::vector<std::string> restore_argv(const RestoreTarget& target, std::vector<std::string> args) {
  std::vector<std::string> argv{std::getenv("PBK_BIN"), "restore"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto connection = target.connection_args();
  argv.insert(argv.end(), connection.begin(), connection.end());
  return argv;
}

// InnoDB's lock wait timeout for connections made while this lives (the loaders' sessions
// take the global value when they connect).
class GlobalLockWait {
public:
  explicit GlobalLockWait(int seconds)
      : m_admin(Connection::connect(test_server().root_options())),
        m_before(m_admin.query_value("SELECT @@GLOBAL.innodb_lock_wait_timeout").value_or("50")) {
    m_admin.execute("SET GLOBAL innodb_lock_wait_timeout = " + std::to_string(seconds));
  }

  ~GlobalLockWait() {
    try {
      m_admin.execute("SET GLOBAL innodb_lock_wait_timeout = "
                      + std::to_string(std::stoi(m_before)));
    } catch (const std::exception&) {
      // The server went away: nothing to put back.
    }
  }

  GlobalLockWait(const GlobalLockWait&) = delete;
  GlobalLockWait& operator=(const GlobalLockWait&) = delete;

private:
  Connection m_admin;
  std::string m_before;
};

// The staging database that holds `table` once the restore created it, or "".
std::string staging_database_of(Connection& db, const std::string& table) {
  const auto found =
      db.query_value("SELECT TABLE_SCHEMA FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE "
                     "'pbk\\_%\\_new\\_%' AND TABLE_NAME = "
                     + db.quote(table));
  return found.value_or("");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(RestoreLockConflicts,
                         ManyMembersCase,
                         *shared_by_suite<ManyMembersArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a restore of a real install, whose raw tables are many members each,
// would fail now and then with a deadlock between its own loaders (issue seen once in the
// field), or load a member twice or not at all when it tried again.
BOOST_DATA_TEST_CASE(loaders_sharing_tables_restore_every_byte,
                     boost::unit_test::data::make(std::vector<std::string>{
                         "bulk", "load-data", "insert"}),
                     method) {
  int most = 0;
  for (const auto& [table, count] : members_of) {
    most = std::max(most, count);
  }
  BOOST_TEST_REQUIRE(most >= 4, "the sample's largest table has only " << most << " members");
  for (int run = 0; run < 3; ++run) {
    RestoreTarget target(test_server(), std::nullopt);
    const auto restored = target.run(
        "restore", {archive.string(), "--json", "--threads", "8", "--load-method", method});
    BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
    const auto report = Json::parse(restored.out);
    BOOST_TEST_MESSAGE(method << " run " << run << ": " << report.at("load_retries")
                              << " members loaded again");
    BOOST_TEST(report.at("load_retries").is_number_unsigned());
    BOOST_TEST(target.checksums() == source_as(target));
  }
}

// Lost if it failed: one client holding a lock on a staging table for longer than
// innodb_lock_wait_timeout would fail the whole restore, or, as a lock wait timeout rolls
// back only the statement, leave the member's earlier rows to be loaded a second time.
BOOST_AUTO_TEST_CASE(a_member_that_lost_a_lock_wait_is_loaded_again) {
  const auto first = first_loaded_table();
  const auto table = first.substr(first.find('/') + 1);
  RestoreTarget target(test_server(), std::nullopt);
  auto locker = Connection::connect(test_server().root_options());
  const GlobalLockWait lock_wait(1);
  TempDir logs;
  // One loader, held for 3 s before its first member: time for this test to lock that table.
  ::setenv("POSTAL_BACKUP_PAUSEPOINT", "restore.before_member_load=3000", 1);
  BackgroundProcess restore(restore_argv(target, {archive.string(), "--json", "--threads", "1"}),
                            logs.path());
  ::unsetenv("POSTAL_BACKUP_PAUSEPOINT");
  std::string staging;
  for (int i = 0; i < 1000 && staging.empty(); ++i) {
    staging = staging_database_of(locker, table);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_TEST_REQUIRE(!staging.empty(), "the restore created no staging table " << table);
  locker.execute("START TRANSACTION");
  const auto rows =
      locker.query_value("SELECT COUNT(*) FROM " + Connection::quote_identifier(staging) + "."
                         + Connection::quote_identifier(table) + " FOR UPDATE");
  BOOST_TEST_REQUIRE(rows.value_or("") == "0", "the loader was faster than the lock");
  // Past the pause and more than two lock waits of 1 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(5500));
  locker.execute("ROLLBACK");
  BOOST_TEST_REQUIRE(restore.wait() == 0, restore.err() + restore.out());
  const auto report = Json::parse(restore.out());
  BOOST_TEST(report.at("load_retries") >= 1);
  BOOST_TEST(restore.err().find("Lock wait timeout exceeded") != std::string::npos, restore.err());
  BOOST_TEST(restore.err().find("loading it again") != std::string::npos);
  BOOST_TEST(target.checksums() == source_as(target));
}

BOOST_AUTO_TEST_SUITE_END()
