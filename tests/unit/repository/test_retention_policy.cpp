// SPDX-License-Identifier: MIT
// The retention policy over synthetic dates: every expected kept set below was worked out by
// hand from the rules in docs/operations.md (ISO weeks checked against a calendar).
#include "repository/retention_policy.hpp"

#include "core/clock.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace pbk::repository;

namespace {

struct Backup {
  std::string id;
  std::string created_at;
  std::optional<std::string> tag = std::nullopt;
  std::string level = "20240311205229";
};

struct PolicyCase {
  std::string name;
  RetentionRules rules;
  std::vector<Backup> backups;
  std::set<std::string> kept;
};

RetentionRules rules(unsigned last,
                     unsigned daily,
                     unsigned weekly,
                     unsigned monthly,
                     unsigned yearly = 0,
                     std::vector<std::string> tags = {},
                     unsigned per_version = 0) {
  return {last, daily, weekly, monthly, yearly, std::move(tags), per_version};
}

std::vector<RetentionCandidate> candidates(const std::vector<Backup>& backups) {
  std::vector<RetentionCandidate> result;
  for (const auto& b : backups) {
    const auto time = parse_iso8601_utc(b.created_at);
    BOOST_TEST_REQUIRE(time.has_value(), b.created_at);
    result.push_back({b.id, *time, b.tag, b.level});
  }
  return result;
}

std::set<std::string> kept_ids(const RetentionRules& r, const std::vector<Backup>& backups) {
  const auto list = candidates(backups);
  const auto decisions = apply_retention(r, list);
  std::set<std::string> kept;
  for (std::size_t i = 0; i < list.size(); ++i) {
    BOOST_TEST(decisions[i].keep == !decisions[i].reasons.empty());
    if (decisions[i].keep) {
      kept.insert(list[i].id);
    }
  }
  return kept;
}

const std::vector<Backup> k_leap = {
    {"feb27", "2028-02-27T03:00:00Z"},
    {"feb28", "2028-02-28T03:00:00Z"},
    {"feb29-early", "2028-02-29T03:00:00Z"},
    {"feb29-late", "2028-02-29T22:00:00Z"},
    {"mar01", "2028-03-01T03:00:00Z"},
    {"mar05", "2028-03-05T03:00:00Z"},
    {"mar06", "2028-03-06T03:00:00Z"},
};

const std::vector<PolicyCase> k_cases = {
    {"several per day and a month end: the newest of each day",
     rules(0, 3, 0, 0),
     {{"jan30-a", "2026-01-30T01:00:00Z"},
      {"jan30-b", "2026-01-30T23:00:00Z"},
      {"jan31", "2026-01-31T12:00:00Z"},
      {"feb01-a", "2026-02-01T00:00:00Z"},
      {"feb01-b", "2026-02-01T23:59:59Z"}},
     {"feb01-b", "jan31", "jan30-b"}},
    {"days without backups do not count as days", // restic: the last N days that have backups
     rules(0, 2, 0, 0),
     {{"jan01", "2026-01-01T03:00:00Z"},
      {"jan10", "2026-01-10T03:00:00Z"},
      {"mar01", "2026-03-01T03:00:00Z"}},
     {"mar01", "jan10"}},
    {"leap day: daily", rules(0, 3, 0, 0), k_leap, {"mar06", "mar05", "mar01"}},
    {"leap day: weekly (Mon 28 Feb .. Sun 5 Mar 2028 is week 9)",
     rules(0, 0, 3, 0),
     k_leap,
     {"mar06", "mar05", "feb27"}},
    {"leap day: monthly keeps the later backup of 29 Feb",
     rules(0, 0, 0, 2),
     k_leap,
     {"mar06", "feb29-late"}},
    {"leap day: rules combined", rules(1, 2, 2, 2), k_leap, {"mar06", "mar05", "feb29-late"}},
    {"month ends: monthly",
     rules(0, 0, 0, 3),
     {{"jan31", "2027-01-31T23:59:59Z"},
      {"feb28", "2027-02-28T23:00:00Z"},
      {"mar01", "2027-03-01T00:00:00Z"},
      {"mar31", "2027-03-31T23:00:00Z"},
      {"apr01", "2027-04-01T00:00:01Z"}},
     {"apr01", "mar31", "feb28"}},
    {"year boundary: 31 Dec 2026 .. 3 Jan 2027 are one ISO week (2026-W53)",
     rules(0, 0, 2, 0),
     {{"dec27", "2026-12-27T03:00:00Z"},
      {"dec31", "2026-12-31T03:00:00Z"},
      {"jan01", "2027-01-01T03:00:00Z"},
      {"jan03", "2027-01-03T03:00:00Z"},
      {"jan04", "2027-01-04T03:00:00Z"}},
     {"jan04", "jan03"}},
    {"year boundary: yearly splits at midnight UTC",
     rules(0, 0, 0, 0, 2),
     {{"mid2025", "2025-06-01T03:00:00Z"},
      {"jan2026", "2026-01-01T00:00:00Z"},
      {"dec2026", "2026-12-31T23:59:59Z"},
      {"jan2027", "2027-01-01T00:00:00Z"}},
     {"jan2027", "dec2026"}},
    {"keep-last counts backups, not days; equal times ordered by id",
     rules(2, 0, 0, 0),
     {{"a", "2026-05-01T03:00:00Z"}, {"b", "2026-05-01T03:00:00Z"}, {"c", "2026-04-30T03:00:00Z"}},
     {"a", "b"}},
    {"keep-tag keeps every backup with the tag, however old",
     rules(1, 0, 0, 0, 0, {"pre-upgrade"}),
     {{"old-tagged", "2025-01-01T03:00:00Z", "pre-upgrade"},
      {"other-tag", "2025-02-01T03:00:00Z", "manual"},
      {"tagged", "2026-01-01T03:00:00Z", "pre-upgrade"},
      {"untagged", "2026-01-02T03:00:00Z"},
      {"newest", "2026-01-03T03:00:00Z"}},
     {"newest", "tagged", "old-tagged"}},
    {"keep-per-version keeps the newest N of each main schema level",
     rules(0, 1, 0, 0, 0, {}, 1),
     {{"v1-old", "2026-01-01T03:00:00Z", std::nullopt, "20210727210551"},
      {"v1-new", "2026-01-02T03:00:00Z", std::nullopt, "20210727210551"},
      {"v2-old", "2026-01-03T03:00:00Z", std::nullopt, "20240311205229"},
      {"v2-new", "2026-01-04T03:00:00Z", std::nullopt, "20240311205229"}},
     {"v2-new", "v1-new"}},
    {"keep-per-version 2 alone",
     rules(0, 0, 0, 0, 0, {}, 2),
     {{"v1-a", "2026-01-01T03:00:00Z", std::nullopt, "20210727210551"},
      {"v1-b", "2026-01-02T03:00:00Z", std::nullopt, "20210727210551"},
      {"v1-c", "2026-01-03T03:00:00Z", std::nullopt, "20210727210551"},
      {"v2-a", "2026-01-04T03:00:00Z", std::nullopt, "20240311205229"}},
     {"v2-a", "v1-c", "v1-b"}},
    {"a rule asking for more than exists keeps everything it can",
     rules(0, 30, 0, 0),
     {{"a", "2026-01-01T03:00:00Z"}, {"b", "2026-01-01T04:00:00Z"}, {"c", "2026-01-02T03:00:00Z"}},
     {"c", "b"}},
    {"no rule keeps nothing", rules(0, 0, 0, 0), {{"a", "2026-01-01T03:00:00Z"}}, {}},
};

} // namespace

BOOST_AUTO_TEST_SUITE(RetentionPolicy)

// Lost if it failed: prune would delete backups the operator's --keep-* options promised to
// keep (or keep too many and fill the disk), around month ends, leap days and new years.
BOOST_AUTO_TEST_CASE(kept_sets_match_the_documented_semantics) {
  for (const auto& c : k_cases) {
    BOOST_TEST_CONTEXT(c.name) {
      BOOST_TEST(kept_ids(c.rules, c.backups) == c.kept);
    }
  }
}

// Lost if it failed: prune's output would not tell the operator why a backup survives.
BOOST_AUTO_TEST_CASE(reasons_name_every_rule_and_its_bucket) {
  const auto list = candidates(k_leap);
  const auto decisions = apply_retention(rules(1, 2, 2, 2, 1, {}, 1), list);
  const std::vector<std::string> newest = {"last",
                                           "daily 2028-03-06",
                                           "weekly 2028-W10",
                                           "monthly 2028-03",
                                           "yearly 2028",
                                           "newest of level 20240311205229"};
  BOOST_TEST(decisions[6].reasons == newest, boost::test_tools::per_element());
  const std::vector<std::string> leap = {"monthly 2028-02"};
  BOOST_TEST(decisions[3].reasons == leap, boost::test_tools::per_element());
  BOOST_TEST(decisions[2].reasons.empty());
  BOOST_TEST(!decisions[2].keep);
}

// Lost if it failed: weekly buckets would split or merge weeks at a new year.
BOOST_AUTO_TEST_CASE(iso_weeks_at_year_boundaries) {
  const std::vector<std::pair<std::string, std::string>> weeks = {
      {"2026-12-28T00:00:00Z", "2026-W53"},
      {"2027-01-03T23:59:59Z", "2026-W53"},
      {"2027-01-04T00:00:00Z", "2027-W01"},
      {"2024-12-30T12:00:00Z", "2025-W01"},
      {"2021-01-03T12:00:00Z", "2020-W53"},
      {"2028-02-29T12:00:00Z", "2028-W09"},
  };
  for (const auto& [time, week] : weeks) {
    BOOST_TEST(iso_week_utc(*parse_iso8601_utc(time)) == week, time);
  }
}

// Lost if it failed: a backup.json with a malformed time would be bucketed as 1970 and pruned
// as the oldest backup.
BOOST_AUTO_TEST_CASE(only_iso8601_utc_times_parse) {
  BOOST_TEST(parse_iso8601_utc("2028-02-29T00:00:00Z").has_value());
  BOOST_TEST(!parse_iso8601_utc("2027-02-29T00:00:00Z").has_value());
  BOOST_TEST(!parse_iso8601_utc("2026-11-25T03:00:00+01:00").has_value());
  BOOST_TEST(!parse_iso8601_utc("2026-11-25 03:00:00Z").has_value());
  BOOST_TEST(!parse_iso8601_utc("2026-11-25T03:00:00ZX").has_value());
  BOOST_TEST(!parse_iso8601_utc("").has_value());
  BOOST_TEST(pbk::core::iso8601_utc(*parse_iso8601_utc("2026-11-25T03:00:00Z"))
             == "2026-11-25T03:00:00Z");
}

BOOST_AUTO_TEST_SUITE_END()
