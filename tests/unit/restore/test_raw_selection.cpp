// SPDX-License-Identifier: MIT
#include "restore/raw_selection.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;

namespace {

// A main database and one message database holding three days of raw mail.
archive::BackupInfo archive_with_three_days() {
  archive::BackupInfo info;
  archive::DatabaseInfo main;
  main.name = "postal";
  main.role = archive::DatabaseRole::main;
  main.tables = {"raw-2024-01-01", "servers"}; // not a message database: never raw mail
  archive::DatabaseInfo messages;
  messages.name = "postal-server-1";
  messages.role = archive::DatabaseRole::message;
  messages.server_id = 1;
  messages.tables = {"messages",
                     "raw-2024-01-01",
                     "raw-2024-01-02",
                     "raw-2024-01-03",
                     "raw_message_sizes",
                     "raw-2024-1-04"};
  info.databases = {main, messages};
  return info;
}

using Tables = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(RawSelectionKept)

// Lost if it failed: `restore --add-raw` with the same option as the selective restore would
// bring back other days than those a restore with that option keeps, or tables that are not
// Postal's raw tables.
BOOST_AUTO_TEST_CASE(kept_tables_are_the_raw_tables_a_restore_keeps) {
  const auto info = archive_with_three_days();
  const auto all = restore::kept_raw_tables(info, restore::parse_raw_selection(false, "", ""));
  BOOST_TEST(all.size() == 1U);
  BOOST_TEST(
      (all.at("postal-server-1") == Tables{"raw-2024-01-01", "raw-2024-01-02", "raw-2024-01-03"}));
  const auto since =
      restore::kept_raw_tables(info, restore::parse_raw_selection(false, "2024-01-02", ""));
  BOOST_TEST((since.at("postal-server-1") == Tables{"raw-2024-01-02", "raw-2024-01-03"}));
  const auto newest = restore::kept_raw_tables(info, restore::parse_raw_selection(false, "", "1"));
  BOOST_TEST((newest.at("postal-server-1") == Tables{"raw-2024-01-03"}));
  BOOST_TEST(restore::kept_raw_tables(info, restore::parse_raw_selection(true, "", "")).empty());
}

BOOST_AUTO_TEST_SUITE_END()
