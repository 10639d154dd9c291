// SPDX-License-Identifier: MIT
#include "cli/commands/add_raw_report.hpp"

#include "cli/output_mode.hpp"

#include <iostream>
#include <map>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

struct Totals {
  std::uint64_t stored = 0;
  std::uint64_t raw = 0;
};

Totals totals_of(const std::vector<restore::AddedTable>& tables) {
  Totals totals;
  for (const auto& table : tables) {
    totals.stored += table.stored_bytes;
    totals.raw += table.raw_bytes;
  }
  return totals;
}

void print_by_database(const std::vector<std::pair<std::string, std::string>>& tables,
                       std::ostream& out) {
  std::map<std::string, std::vector<std::string>> by_database;
  for (const auto& [database, table] : tables) {
    by_database[database].push_back(table);
  }
  for (const auto& [database, names] : by_database) {
    out << "  " << database << ":";
    for (std::size_t i = 0; i < names.size(); ++i) {
      out << (i == 0 ? " " : ", ") << names[i];
    }
    out << "\n";
  }
}

} // namespace

Json add_raw_json(const restore::AddRawOutcome& outcome) {
  Json added = Json::array();
  for (const auto& table : outcome.added) {
    added.push_back({{"database", table.database},
                     {"table", table.table},
                     {"rows", table.rows},
                     {"bytes_stored", table.stored_bytes},
                     {"bytes_raw", table.raw_bytes}});
  }
  Json live = Json::array();
  for (const auto& table : outcome.already_live) {
    live.push_back({{"database", table.database}, {"table", table.table}});
  }
  const auto totals = totals_of(outcome.added);
  return {{"restore_id", outcome.id.empty() ? Json(nullptr) : Json(outcome.id)},
          {"dry_run", outcome.dry_run},
          {"added", added},
          {"bytes_stored", totals.stored},
          {"bytes_raw", totals.raw},
          {"already_live", live},
          {"messages_relinked", outcome.counts.relinked},
          {"messages_skipped", outcome.counts.skipped},
          {"raw_message_sizes_inserted", outcome.counts.sizes},
          {"warnings", outcome.warnings},
          {"seconds", outcome.seconds}};
}

void print_add_raw(const restore::AddRawOutcome& outcome, std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> added;
  for (const auto& table : outcome.added) {
    added.emplace_back(table.database, table.table);
  }
  std::vector<std::pair<std::string, std::string>> live;
  for (const auto& table : outcome.already_live) {
    live.emplace_back(table.database, table.table);
  }
  if (added.empty()) {
    out << (live.empty() ? "nothing to bring back: the archive holds no raw table asked for\n"
                         : "nothing to bring back: every raw table asked for is already live\n");
  } else {
    const auto totals = totals_of(outcome.added);
    out << (outcome.dry_run ? "restore --add-raw would bring back " : "brought back ")
        << added.size() << (added.size() == 1 ? " raw table, " : " raw tables, ")
        << human_bytes(totals.stored) << " stored (" << human_bytes(totals.raw) << " raw)"
        << (outcome.dry_run ? "" : " (restore " + outcome.id + ")") << "\n";
    print_by_database(added, out);
  }
  if (!live.empty()) {
    out << "already live, left exactly as they are:\n";
    print_by_database(live, out);
  }
  if (!outcome.dry_run && !added.empty()) {
    out << "messages re-linked: " << outcome.counts.relinked
        << ", left as they were: " << outcome.counts.skipped
        << "; raw_message_sizes rows back: " << outcome.counts.sizes << "\n";
  }
}

void present_add_raw(const restore::AddRawOutcome& outcome,
                     core::Reporter& reporter,
                     CommandContext& context) {
  std::uint64_t rows = 0;
  std::uint64_t stored = 0;
  std::uint64_t raw = 0;
  for (const auto& table : outcome.dry_run ? std::vector<restore::AddedTable>{} : outcome.added) {
    rows += table.rows;
    stored += table.stored_bytes;
    raw += table.raw_bytes;
  }
  context.metrics.record({rows, stored, raw, {}, {}});
  for (const auto& warning : outcome.warnings) {
    reporter.warn(warning);
  }
  if (context.mode.json) {
    print_json(add_raw_json(outcome));
  } else if (!context.mode.quiet) {
    const HumanText escaped(std::cout);
    print_add_raw(outcome, std::cout);
  }
}

} // namespace pbk::cli
