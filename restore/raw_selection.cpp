// SPDX-License-Identifier: MIT
#include "restore/raw_selection.hpp"

#include "postal/raw_tables.hpp"

#include "core/decimal.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <set>

namespace pbk::restore {
namespace {

std::chrono::sys_days parse_date(const std::string& text) {
  if (const auto date = postal::raw_table_date("raw-" + text)) {
    return *date;
  }
  throw core::Error(core::ExitCode::usage,
                    "--raw-since '" + text + "' is not a date: give it as YYYY-MM-DD");
}

unsigned parse_days(const std::string& text) {
  const auto days = core::parse_decimal<unsigned>(text);
  if (!days || *days == 0 || *days > 100000) {
    throw core::Error(core::ExitCode::usage,
                      "--raw-days '" + text
                          + "' is not a number of days: give a whole number from 1 (--without-raw "
                            "leaves every raw table out)");
  }
  return *days;
}

std::vector<std::string> raw_tables_of(const archive::DatabaseInfo& database) {
  std::vector<std::string> raw;
  if (database.role != archive::DatabaseRole::message) {
    return raw;
  }
  std::copy_if(database.tables.begin(),
               database.tables.end(),
               std::back_inserter(raw),
               [](const std::string& table) { return postal::raw_table_date(table).has_value(); });
  return raw;
}

bool left_out(const std::string& table,
              const RawSelection& selection,
              const std::set<std::chrono::sys_days>& kept_days) {
  const auto date = *postal::raw_table_date(table);
  switch (selection.kind) {
  case RawSelection::Kind::all:
    return false;
  case RawSelection::Kind::none:
    return true;
  case RawSelection::Kind::since:
    return date < selection.since;
  case RawSelection::Kind::newest_days:
    return !kept_days.contains(date);
  }
  return false;
}

// The newest `days` dates among `raw` (a day Postal named twice, once by local time, counts once).
std::set<std::chrono::sys_days> newest_days(const std::vector<std::string>& raw, unsigned days) {
  std::set<std::chrono::sys_days> all;
  for (const auto& table : raw) {
    all.insert(*postal::raw_table_date(table));
  }
  std::set<std::chrono::sys_days> kept;
  for (auto it = all.rbegin(); it != all.rend() && kept.size() < days; ++it) {
    kept.insert(*it);
  }
  return kept;
}

} // namespace

RawSelection
parse_raw_selection(bool without_raw, const std::string& raw_since, const std::string& raw_days) {
  const int given =
      (without_raw ? 1 : 0) + (raw_since.empty() ? 0 : 1) + (raw_days.empty() ? 0 : 1);
  if (given > 1) {
    throw core::Error(core::ExitCode::usage,
                      "--without-raw, --raw-since and --raw-days each choose the raw tables "
                      "restored: give one of them");
  }
  RawSelection selection;
  if (without_raw) {
    selection.kind = RawSelection::Kind::none;
  } else if (!raw_since.empty()) {
    selection.kind = RawSelection::Kind::since;
    selection.since = parse_date(raw_since);
  } else if (!raw_days.empty()) {
    selection.kind = RawSelection::Kind::newest_days;
    selection.days = parse_days(raw_days);
  }
  return selection;
}

std::map<std::string, std::vector<std::string>> kept_raw_tables(const archive::BackupInfo& info,
                                                                const RawSelection& selection) {
  const auto left = left_out_raw_tables(info, selection);
  std::map<std::string, std::vector<std::string>> result;
  for (const auto& database : info.databases) {
    const auto found = left.find(database.name);
    std::vector<std::string> kept;
    for (const auto& table : raw_tables_of(database)) {
      if (found == left.end()
          || std::find(found->second.begin(), found->second.end(), table) == found->second.end()) {
        kept.push_back(table);
      }
    }
    if (!kept.empty()) {
      result[database.name] = std::move(kept);
    }
  }
  return result;
}

std::map<std::string, std::vector<std::string>> left_out_raw_tables(const archive::BackupInfo& info,
                                                                    const RawSelection& selection) {
  std::map<std::string, std::vector<std::string>> result;
  if (selection.kind == RawSelection::Kind::all) {
    return result;
  }
  for (const auto& database : info.databases) {
    const auto raw = raw_tables_of(database);
    const auto kept = selection.kind == RawSelection::Kind::newest_days
                          ? newest_days(raw, selection.days)
                          : std::set<std::chrono::sys_days>{};
    std::vector<std::string> out;
    std::copy_if(raw.begin(), raw.end(), std::back_inserter(out), [&](const std::string& table) {
      return left_out(table, selection, kept);
    });
    if (!out.empty()) {
      result[database.name] = std::move(out);
    }
  }
  return result;
}

} // namespace pbk::restore
