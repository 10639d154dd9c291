// SPDX-License-Identifier: MIT
// Which raw tables a selective restore leaves out (--without-raw, --raw-since DATE,
// --raw-days N): only `raw-YYYY-MM-DD` tables of message databases, as backup.json lists them.
// --raw-days counts the newest N days each message database holds in the archive, not days
// back from today, so an old archive restores its own last N days of raw mail.
#pragma once

#include "archive/manifest.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

struct RawSelection {
  enum class Kind { all, none, since, newest_days };
  Kind kind = Kind::all;
  std::chrono::sys_days since{}; // since: raw tables of earlier days are left out
  unsigned days = 0;             // newest_days: N >= 1
};

// The selection named by the three options (empty strings: not given). Usage errors (exit 2)
// for more than one, a date that is not YYYY-MM-DD, or N not a whole number of at least 1.
[[nodiscard]] RawSelection
parse_raw_selection(bool without_raw, const std::string& raw_since, const std::string& raw_days);

// Per database of `info` (its name in the archive), the raw tables left out, in archive order.
[[nodiscard]] std::map<std::string, std::vector<std::string>>
left_out_raw_tables(const archive::BackupInfo& info, const RawSelection& selection);

// Per database of `info`, the raw tables the selection keeps (`restore --add-raw` brings these
// back), in archive order.
[[nodiscard]] std::map<std::string, std::vector<std::string>>
kept_raw_tables(const archive::BackupInfo& info, const RawSelection& selection);

// What leaving a table out saves, from the manifest when it was read ahead.
struct LeftOutTable {
  std::string database; // its live name
  std::string table;
  std::optional<std::uint64_t> stored_bytes; // nullopt: no manifest yet (a pipe)
  std::optional<std::uint64_t> raw_bytes;
  std::optional<std::uint64_t> rows;
};

} // namespace pbk::restore
