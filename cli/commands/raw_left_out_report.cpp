// SPDX-License-Identifier: MIT
#include "cli/commands/raw_left_out_report.hpp"

#include "cli/output_mode.hpp"

#include <map>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

Json optional_number(const std::optional<std::uint64_t>& value) {
  return value ? Json(*value) : Json(nullptr);
}

struct Totals {
  std::optional<std::uint64_t> stored = 0;
  std::optional<std::uint64_t> raw = 0;
};

Totals totals_of(const std::vector<restore::LeftOutTable>& tables) {
  Totals totals;
  for (const auto& table : tables) {
    if (!table.stored_bytes || !table.raw_bytes) {
      return {std::nullopt, std::nullopt};
    }
    *totals.stored += *table.stored_bytes;
    *totals.raw += *table.raw_bytes;
  }
  return totals;
}

} // namespace

Json raw_left_out_json(const std::vector<restore::LeftOutTable>& tables) {
  Json list = Json::array();
  for (const auto& table : tables) {
    list.push_back({{"database", table.database},
                    {"table", table.table},
                    {"rows", optional_number(table.rows)},
                    {"bytes_stored", optional_number(table.stored_bytes)},
                    {"bytes_raw", optional_number(table.raw_bytes)}});
  }
  const auto totals = totals_of(tables);
  return {{"tables", list},
          {"bytes_stored", optional_number(totals.stored)},
          {"bytes_raw", optional_number(totals.raw)}};
}

void print_raw_left_out(const std::vector<restore::LeftOutTable>& tables,
                        const char* title,
                        std::ostream& out) {
  if (tables.empty()) {
    return;
  }
  std::map<std::string, std::vector<std::string>> by_database;
  for (const auto& table : tables) {
    by_database[table.database].push_back(table.table);
  }
  const auto totals = totals_of(tables);
  out << title << " " << tables.size() << (tables.size() == 1 ? " raw table" : " raw tables");
  if (totals.stored) {
    out << ", " << human_bytes(*totals.stored) << " stored (" << human_bytes(*totals.raw)
        << " raw) not loaded";
  } else {
    out << " (their sizes are known once the stream's manifest is read)";
  }
  out << "; their messages show the raw message as no longer available\n";
  for (const auto& [database, names] : by_database) {
    out << "  " << database << ":";
    for (std::size_t i = 0; i < names.size(); ++i) {
      out << (i == 0 ? " " : ", ") << names[i];
    }
    out << "\n";
  }
}

} // namespace pbk::cli
