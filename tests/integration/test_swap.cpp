// SPDX-License-Identifier: MIT
// The swap and its marker on the real server: all tables of several databases move in one
// statement, back again, and not at all when a table is in use.
#include "core/error.hpp"
#include "restore/swap.hpp"
#include "tests/support/restore_target.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;
using namespace pbk::test;
using core::db::Connection;

namespace {

struct TwoDatabases {
  TwoDatabases() {
    restore::Journal(admin).ensure_exists();
    for (std::size_t i = 0; i < 2; ++i) {
      restore::JournalDatabase d;
      d.live = "pbkswap_" + id + "_live_" + std::to_string(i);
      d.staging = restore::staging_name(id, i);
      d.previous = restore::previous_name(id, i);
      for (const auto* name : {&d.live, &d.staging, &d.previous}) {
        admin.execute("CREATE DATABASE " + Connection::quote_identifier(*name));
      }
      admin.execute("CREATE TABLE " + Connection::quote_identifier(d.live)
                    + ".t (v varchar(10)) ENGINE=InnoDB");
      admin.execute("INSERT INTO " + Connection::quote_identifier(d.live) + ".t VALUES ('old')");
      admin.execute("CREATE TABLE " + Connection::quote_identifier(d.staging)
                    + ".t (v varchar(10)) ENGINE=InnoDB");
      admin.execute("CREATE TABLE " + Connection::quote_identifier(d.staging)
                    + ".extra (v int) ENGINE=InnoDB");
      admin.execute("INSERT INTO " + Connection::quote_identifier(d.staging) + ".t VALUES ('new')");
      databases.push_back(d);
    }
    restore::create_swap_marker(admin, id);
  }

  ~TwoDatabases() {
    try {
      for (const auto& d : databases) {
        for (const auto* name : {&d.live, &d.staging, &d.previous}) {
          restore::drop_database_if_exists(admin, *name);
        }
      }
      restore::drop_swap_marker(admin, id);
    } catch (...) {
      // Deliberately ignored: leftovers die with the throwaway server.
    }
  }

  std::string value(std::size_t i) {
    return admin
        .query_value("SELECT v FROM " + Connection::quote_identifier(databases[i].live) + ".t")
        .value_or("");
  }

  Connection admin = Connection::connect(test_server().root_options());
  std::string id = restore::new_restore_id();
  std::vector<restore::JournalDatabase> databases;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(Swap, TwoDatabases, *boost::unit_test::precondition(require_server))

// Lost if it failed: a restore's swap could leave one database restored and another not,
// or lose track of whether it happened.
BOOST_AUTO_TEST_CASE(swaps_every_database_and_back) {
  BOOST_TEST(!restore::swap_happened(admin, id));
  restore::swap_in(admin, id, databases, 5);
  BOOST_TEST(restore::swap_happened(admin, id));
  BOOST_TEST(value(0) == "new");
  BOOST_TEST(value(1) == "new");
  BOOST_TEST(restore::base_tables(admin, databases[0].staging).empty());
  BOOST_TEST(restore::base_tables(admin, databases[1].previous) == std::vector<std::string>{"t"});

  restore::swap_back(admin, id, databases, 5);
  BOOST_TEST(!restore::swap_happened(admin, id));
  BOOST_TEST(value(0) == "old");
  BOOST_TEST(value(1) == "old");
  BOOST_TEST(restore::base_tables(admin, databases[1].live) == std::vector<std::string>{"t"});
  BOOST_TEST(restore::base_tables(admin, databases[1].staging)
             == (std::vector<std::string>{"extra", "t"}));
}

// Lost if it failed: a swap blocked by Postal's open transaction could rename some tables
// and then give up, leaving a mix of old and restored tables.
BOOST_AUTO_TEST_CASE(a_table_in_use_stops_the_whole_swap) {
  auto postal = Connection::connect(test_server().root_options());
  postal.execute("START TRANSACTION");
  (void)postal.query("SELECT * FROM " + Connection::quote_identifier(databases[1].live) + ".t");
  try {
    restore::swap_in(admin, id, databases, 1);
    BOOST_FAIL("the swap did not wait for the table in use");
  } catch (const core::Error& e) {
    BOOST_TEST((e.code() == core::ExitCode::refused));
    BOOST_TEST(std::string(e.what()).find("nothing was renamed") != std::string::npos);
  }
  postal.execute("ROLLBACK");
  BOOST_TEST(!restore::swap_happened(admin, id));
  BOOST_TEST(value(0) == "old");
  BOOST_TEST(value(1) == "old");
}

BOOST_AUTO_TEST_SUITE_END()
