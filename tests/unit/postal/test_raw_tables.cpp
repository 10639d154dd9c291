// SPDX-License-Identifier: MIT
#include "postal/raw_tables.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::postal;
using namespace std::chrono;

BOOST_AUTO_TEST_SUITE(RawTables)

// Lost if it failed: today's raw table could be read outside the snapshot (inconsistent
// with the messages that point into it), or an old one inside it (blocking the 03:00 drop).
BOOST_AUTO_TEST_CASE(only_tables_two_days_old_leave_the_snapshot) {
  const sys_days today = sys_days(year(2026) / 11 / 25);
  BOOST_TEST(is_past_raw_table("raw-2026-11-23", today));
  BOOST_TEST(is_past_raw_table("raw-2025-12-31", today));
  BOOST_TEST(!is_past_raw_table("raw-2026-11-24", today));
  BOOST_TEST(!is_past_raw_table("raw-2026-11-25", today));
  BOOST_TEST(!is_past_raw_table("raw-2026-11-26", today));
}

// Lost if it failed: a table that merely looks like a raw table would skip the snapshot.
BOOST_AUTO_TEST_CASE(only_real_dates_are_raw_tables) {
  BOOST_TEST(!raw_table_date("raw_message_sizes").has_value());
  BOOST_TEST(!raw_table_date("raw-2026-02-30").has_value());
  BOOST_TEST(!raw_table_date("raw-2026-1-01").has_value());
  BOOST_TEST(!raw_table_date("xraw-2026-01-01").has_value());
  BOOST_TEST(raw_table_date("raw-2024-02-29").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
