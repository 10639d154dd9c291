// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "restore/gate.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;

BOOST_AUTO_TEST_SUITE(GateTargetRecord)

// Lost if it failed: `finish` run later (or from another host) would judge the restore
// against a different release than the one the restore planned for.
BOOST_AUTO_TEST_CASE(target_survives_the_journal_round_trip) {
  postal::MigrationTarget target;
  target.version = "2.1.4";
  target.main_schema_level = "20210727210551";
  target.main_migrations = {"20161003195209", "20200717083943", "20210727210551"};
  target.message_db_migrations = {1, 2, 19, 20};
  target.era = postal::Era::v2;
  target.source = "server postal on root@/tmp/sock";
  const auto back = restore::target_from_json(restore::target_to_json(target));
  BOOST_TEST(back.version == target.version);
  BOOST_TEST(back.main_schema_level == target.main_schema_level);
  BOOST_TEST(back.main_migrations == target.main_migrations);
  BOOST_TEST(back.message_db_migrations == target.message_db_migrations);
  BOOST_TEST((back.era == postal::Era::v2));
  BOOST_TEST(back.source == target.source);
}

// Lost if it failed: a damaged journal row would be read as some default release instead
// of stopping with a message.
BOOST_AUTO_TEST_CASE(unreadable_target_record_is_an_error) {
  BOOST_CHECK_THROW((void)restore::target_from_json("{\"version\": 1}"), core::Error);
  BOOST_CHECK_THROW((void)restore::target_from_json("not json"), core::Error);
}

BOOST_AUTO_TEST_SUITE_END()
