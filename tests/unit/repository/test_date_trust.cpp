// SPDX-License-Identifier: MIT
// When prune may believe a backup's created_at. If these rules failed, an archive dated in
// the future (planted, or from a host whose clock is wrong) would take every retention slot and
// a prune would delete every real backup.
#include "repository/date_trust.hpp"
#include "repository/retention_policy.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::repository;
using namespace std::chrono_literals;
using pbk::core::SystemTime;

namespace {

SystemTime at(const std::string& iso) {
  const auto t = parse_iso8601_utc(iso);
  BOOST_TEST_REQUIRE(t.has_value(), iso);
  return *t;
}

// A backup as create writes it: named after created_at, finished and written a little later.
DateEvidence genuine(const std::string& created) {
  DateEvidence evidence;
  evidence.created_at = at(created);
  evidence.finished = evidence.created_at + 3min;
  evidence.modified = evidence.created_at + 3min;
  evidence.named = evidence.created_at;
  return evidence;
}

const SystemTime k_now = at("2026-12-07T03:30:00Z");

} // namespace

BOOST_AUTO_TEST_SUITE(DateTrust)

BOOST_AUTO_TEST_CASE(a_genuine_backup_is_believed) {
  BOOST_TEST(!untrusted_date(genuine("2026-12-07T03:00:00Z"), k_now));
  BOOST_TEST(!untrusted_date(genuine("2020-01-01T03:00:00Z"), k_now));
}

BOOST_AUTO_TEST_CASE(the_future_beyond_the_skew_is_not_believed) {
  // Within the allowed skew: a backup host whose clock runs a few minutes ahead.
  BOOST_TEST(!untrusted_date(genuine("2026-12-07T03:39:00Z"), k_now));
  const auto ahead = untrusted_date(genuine("2026-12-07T03:41:00Z"), k_now);
  BOOST_TEST_REQUIRE(ahead.has_value());
  BOOST_TEST(ahead->find("is in the future") != std::string::npos, *ahead);
  BOOST_TEST(untrusted_date(genuine("2099-01-01T00:00:00Z"), k_now).has_value());
}

BOOST_AUTO_TEST_CASE(a_date_its_own_file_contradicts_is_not_believed) {
  // A planted archive dated just before now, whose file was written long before that date.
  auto written_before = genuine("2026-12-07T03:00:00Z");
  written_before.modified = at("2026-11-01T00:00:00Z");
  BOOST_TEST(untrusted_date(written_before, k_now).has_value());

  auto finished_before = genuine("2026-12-07T03:00:00Z");
  finished_before.finished = at("2026-12-01T03:00:00Z");
  BOOST_TEST(untrusted_date(finished_before, k_now).has_value());

  auto renamed = genuine("2026-12-07T03:00:00Z");
  renamed.named = at("2026-12-01T03:00:00Z");
  BOOST_TEST(untrusted_date(renamed, k_now).has_value());
}

BOOST_AUTO_TEST_CASE(missing_evidence_is_no_contradiction) {
  // A file copied without its mtime (newer than created_at) and renamed without a time.
  DateEvidence evidence;
  evidence.created_at = at("2026-12-06T03:00:00Z");
  evidence.modified = k_now;
  BOOST_TEST(!untrusted_date(evidence, k_now));
}

BOOST_AUTO_TEST_CASE(the_time_in_a_file_name) {
  const auto named = time_in_file_name("postal-backup-20261125T030000Z-postal-3.3.6-nightly.tar");
  BOOST_TEST_REQUIRE(named.has_value());
  BOOST_TEST((*named == at("2026-11-25T03:00:00Z")));
  BOOST_TEST(!time_in_file_name("nightly.tar").has_value());
  BOOST_TEST(!time_in_file_name("postal-backup-2026112XT030000Z.tar").has_value());
  BOOST_TEST(!time_in_file_name("T").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
