// SPDX-License-Identifier: MIT
// Which backups a prune keeps, decided from times, tags and schema levels alone (no files),
// with restic's `forget` semantics: walking the backups newest first, each --keep-daily N
// (weekly, monthly, yearly) keeps the newest backup of each of the last N days (ISO weeks,
// months, years) that have backups, buckets in UTC. A backup kept by any rule is kept.
#pragma once

#include "core/clock.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pbk::repository {

// 0 switches a rule off.
struct RetentionRules {
  unsigned keep_last = 0;
  unsigned keep_daily = 0;
  unsigned keep_weekly = 0;
  unsigned keep_monthly = 0;
  unsigned keep_yearly = 0;
  std::vector<std::string> keep_tags; // every backup carrying one of these tags
  unsigned keep_per_version = 0;      // the newest N of each main schema level

  [[nodiscard]] bool any() const;
};

struct RetentionCandidate {
  std::string id; // breaks ties between equal times: the greater id counts as newer
  core::SystemTime created_at;
  std::optional<std::string> tag;
  std::string main_schema_level;
};

struct RetentionDecision {
  bool keep = false;
  // Every rule that keeps it, e.g. "last", "daily 2028-02-29", "weekly 2028-W09",
  // "monthly 2028-02", "yearly 2028", "tag pre-upgrade", "newest of level 20240311205229".
  std::vector<std::string> reasons;
};

// One decision per candidate, in the candidates' order (which need not be sorted).
[[nodiscard]] std::vector<RetentionDecision>
apply_retention(const RetentionRules& rules, std::span<const RetentionCandidate> candidates);

// "2026-11-25T03:00:00Z" (backup.json created_at); nullopt when it is not that shape.
[[nodiscard]] std::optional<core::SystemTime> parse_iso8601_utc(const std::string& text);

// The bucket labels, exposed for tests: "2028-W09" is ISO 8601 week 9 of ISO year 2028.
[[nodiscard]] std::string iso_week_utc(core::SystemTime t);

} // namespace pbk::repository
