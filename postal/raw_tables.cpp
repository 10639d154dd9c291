// SPDX-License-Identifier: MIT
#include "postal/raw_tables.hpp"

#include <cctype>

namespace pbk::postal {
namespace {

std::optional<int> digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

} // namespace

std::optional<std::chrono::sys_days> raw_table_date(std::string_view table) {
  // raw-YYYY-MM-DD
  if (table.size() != 14 || table.substr(0, 4) != "raw-" || table[8] != '-' || table[11] != '-') {
    return std::nullopt;
  }
  const auto year = digits(table.substr(4, 4));
  const auto month = digits(table.substr(9, 2));
  const auto day = digits(table.substr(12, 2));
  if (!year || !month || !day) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days(date);
}

bool is_past_raw_table(std::string_view table, std::chrono::sys_days today) {
  const auto date = raw_table_date(table);
  return date && *date < today - std::chrono::days(1);
}

} // namespace pbk::postal
