// SPDX-License-Identifier: MIT
#include "repository/retention_policy.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>

namespace pbk::repository {
namespace {

using namespace std::chrono;

std::string two_digits(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02u", value);
  return text;
}

std::string year_text(year y) {
  return std::to_string(static_cast<int>(y));
}

year_month_day civil_day(core::SystemTime t) {
  return year_month_day(floor<days>(t));
}

std::string month_bucket(core::SystemTime t) {
  const auto d = civil_day(t);
  return year_text(d.year()) + "-" + two_digits(static_cast<unsigned>(d.month()));
}

std::string year_bucket(core::SystemTime t) {
  return year_text(civil_day(t).year());
}

// A rule that keeps the newest backup of each of its first `count` distinct buckets.
struct BucketRule {
  unsigned count;
  std::string name;
  std::function<std::string(core::SystemTime)> bucket;
  std::string last{};
};

std::vector<std::size_t> newest_first(std::span<const RetentionCandidate> candidates) {
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = candidates[a];
    const auto& y = candidates[b];
    return x.created_at != y.created_at ? x.created_at > y.created_at : x.id > y.id;
  });
  return order;
}

std::vector<BucketRule> bucket_rules(const RetentionRules& rules) {
  std::vector<BucketRule> result;
  result.push_back({rules.keep_daily, "daily", core::date_utc});
  result.push_back({rules.keep_weekly, "weekly", iso_week_utc});
  result.push_back({rules.keep_monthly, "monthly", month_bucket});
  result.push_back({rules.keep_yearly, "yearly", year_bucket});
  return result;
}

} // namespace

bool RetentionRules::any() const {
  return keep_last > 0 || keep_daily > 0 || keep_weekly > 0 || keep_monthly > 0 || keep_yearly > 0
         || !keep_tags.empty() || keep_per_version > 0;
}

std::vector<RetentionDecision> apply_retention(const RetentionRules& rules,
                                               std::span<const RetentionCandidate> candidates) {
  std::vector<RetentionDecision> decisions(candidates.size());
  auto rules_by_bucket = bucket_rules(rules);
  std::map<std::string, unsigned> kept_per_level;
  unsigned kept_last = 0;
  for (const auto index : newest_first(candidates)) {
    const auto& candidate = candidates[index];
    auto& reasons = decisions[index].reasons;
    if (kept_last < rules.keep_last) {
      ++kept_last;
      reasons.emplace_back("last");
    }
    for (auto& rule : rules_by_bucket) {
      if (rule.count == 0) {
        continue;
      }
      const auto bucket = rule.bucket(candidate.created_at);
      if (bucket != rule.last) {
        rule.last = bucket;
        --rule.count;
        reasons.push_back(rule.name + " " + bucket);
      }
    }
    if (candidate.tag
        && std::find(rules.keep_tags.begin(), rules.keep_tags.end(), *candidate.tag)
               != rules.keep_tags.end()) {
      reasons.push_back("tag " + *candidate.tag);
    }
    if (kept_per_level[candidate.main_schema_level]++ < rules.keep_per_version) {
      reasons.push_back("newest of level " + candidate.main_schema_level);
    }
    decisions[index].keep = !reasons.empty();
  }
  return decisions;
}

std::optional<core::SystemTime> parse_iso8601_utc(const std::string& text) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char zone = 0;
  int consumed = 0;
  if (text.size() != 20
      || std::sscanf(text.c_str(),
                     "%4d-%2u-%2uT%2u:%2u:%2u%c%n",
                     &y,
                     &mo,
                     &d,
                     &h,
                     &mi,
                     &s,
                     &zone,
                     &consumed)
             != 7
      || consumed != 20 || zone != 'Z' || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  const year_month_day date{year{y}, month{mo}, day{d}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return sys_days(date) + hours{h} + minutes{mi} + seconds{s};
}

std::string iso_week_utc(core::SystemTime t) {
  // The ISO week belongs to the year of its Thursday, and week 1 holds the first Thursday.
  const sys_days day_point = floor<days>(t);
  const unsigned iso_weekday = weekday(day_point).iso_encoding(); // Monday 1 … Sunday 7
  const sys_days thursday = day_point + days{4 - static_cast<int>(iso_weekday)};
  const year iso_year = year_month_day(thursday).year();
  const sys_days first_day = sys_days(iso_year / January / 1);
  const auto week = (thursday - first_day).count() / 7 + 1;
  return year_text(iso_year) + "-W" + two_digits(static_cast<unsigned>(week));
}

} // namespace pbk::repository
