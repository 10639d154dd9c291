// SPDX-License-Identifier: MIT
#include "backup/shared_instant.hpp"
#include "backup/snapshot.hpp"
#include "core/db/connection.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

using pbk::backup::begin_at_one_instant;
using pbk::backup::Snapshot;
using pbk::core::db::Connection;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;

namespace {

std::string count_of(Connection& connection, const std::string& table) {
  return connection.query_value("SELECT COUNT(*) FROM " + table).value_or("none");
}

// Inserts rows one autocommitted statement after another until stopped.
class BusyWriter {
public:
  explicit BusyWriter(const std::string& table)
      : m_thread([this, table] {
          auto connection = Connection::connect(test_server().root_options());
          while (!m_stop) {
            connection.execute("INSERT INTO " + table + " VALUES ()");
          }
        }) {}

  ~BusyWriter() {
    m_stop = true;
    m_thread.join();
  }

  BusyWriter(const BusyWriter&) = delete;
  BusyWriter& operator=(const BusyWriter&) = delete;

private:
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

} // namespace

BOOST_AUTO_TEST_SUITE(SharedInstant, *boost::unit_test::precondition(pbk::test::require_server))

// Lost if it failed: a backup read on several connections while Postal writes could hold a
// message without its deliveries (or the reverse), because the tables read on one connection
// would describe a later moment than those read on another.
BOOST_AUTO_TEST_CASE(snapshots_begun_together_see_the_same_rows) {
  ScratchDatabase scratch(test_server());
  const std::string table = Connection::quote_identifier(scratch.name()) + ".t";
  auto admin = Connection::connect(test_server().root_options());
  admin.execute("CREATE TABLE " + table + " (id INT AUTO_INCREMENT PRIMARY KEY)");
  const BusyWriter writer(table);
  for (int round = 0; round < 20; ++round) {
    auto a = Connection::connect(test_server().root_options());
    auto b = Connection::connect(test_server().root_options());
    auto c = Connection::connect(test_server().root_options());
    Snapshot first(a);
    Snapshot second(b);
    Snapshot third(c);
    const auto refused =
        begin_at_one_instant(test_server().root_options(), {&first, &second, &third});
    BOOST_TEST_REQUIRE(!refused.has_value(), refused.value_or(""));
    const auto seen = count_of(a, table);
    BOOST_TEST(seen == count_of(b, table), "round " << round);
    BOOST_TEST(seen == count_of(c, table), "round " << round);
    first.commit();
    second.commit();
    third.commit();
  }
}

// Lost if it failed: a backup user with only SELECT (the documented minimum) would get a
// failed backup, or snapshots begun at different instants, instead of one connection reading
// the snapshot's tables.
BOOST_AUTO_TEST_CASE(without_reload_no_snapshot_begins_and_the_reason_is_named) {
  pbk::test::TestUser user(test_server(), "pbk_no_reload");
  user.grant("SELECT ON *.*");
  auto options = test_server().root_options();
  options.user = user.name();
  options.password = pbk::test::TestUser::password();
  auto a = Connection::connect(options);
  auto b = Connection::connect(options);
  Snapshot first(a);
  Snapshot second(b);
  const auto refused = begin_at_one_instant(options, {&first, &second});
  BOOST_TEST_REQUIRE(refused.has_value());
  BOOST_TEST(refused->find("RELOAD") != std::string::npos, *refused);
  BOOST_TEST(!first.is_open());
  BOOST_TEST(!second.is_open());
  // Nothing is held on the server: another backup can take the backup lock at once.
  auto admin = Connection::connect(test_server().root_options());
  admin.execute("SET SESSION lock_wait_timeout = 2");
  admin.execute("BACKUP STAGE START");
  admin.execute("BACKUP STAGE BLOCK_COMMIT");
  admin.execute("BACKUP STAGE END");
}

BOOST_AUTO_TEST_SUITE_END()
