// SPDX-License-Identifier: MIT
// The age of the newest verified backup: none is a failure, older than the limit a warning.
#include "repository/backup_freshness.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::repository;
using pbk::core::Severity;
using std::chrono::hours;

BOOST_TEST_DONT_PRINT_LOG_VALUE(pbk::core::Severity)

BOOST_AUTO_TEST_SUITE(BackupFreshness)

// Lost if it failed: backups that silently stopped (a full disk, a removed cron line) would
// go unnoticed until the day one is needed; a directory with none would not be a failure.
BOOST_AUTO_TEST_CASE(the_newest_verified_backup_is_judged_by_its_age) {
  const auto now = std::chrono::system_clock::now();
  const auto at = [&](hours age) { return NewestBackup{"b.tar", now - age}; };
  BOOST_TEST(judge_backup_age(at(hours(25)), "/b", now, k_default_max_backup_age).severity
             == Severity::ok);
  BOOST_TEST(judge_backup_age(at(hours(26)), "/b", now, k_default_max_backup_age).severity
             == Severity::ok);
  const auto stale = judge_backup_age(at(hours(27)), "/b", now, k_default_max_backup_age);
  BOOST_TEST(stale.severity == Severity::warning);
  BOOST_TEST(stale.value == "b.tar, 27 h old");
  BOOST_TEST(!stale.fix.empty());
  BOOST_TEST(judge_backup_age(at(hours(27)), "/b", now, hours(48)).severity == Severity::ok);
  const auto none = judge_backup_age(std::nullopt, "/b", now, k_default_max_backup_age);
  BOOST_TEST(none.severity == Severity::failure);
  BOOST_TEST(judge_backup_age(NewestBackup{"b.tar", std::nullopt}, "/b", now, hours(26)).severity
             == Severity::warning);
}

BOOST_AUTO_TEST_CASE(ages_read_in_hours_then_days) {
  BOOST_TEST(age_text(std::chrono::seconds(3 * 3600 + 59)) == "3 h");
  BOOST_TEST(age_text(hours(47)) == "47 h");
  BOOST_TEST(age_text(hours(52)) == "2 days 4 h");
}

BOOST_AUTO_TEST_SUITE_END()
