// SPDX-License-Identifier: MIT
// Postal keeps raw e-mail in one table per day, `raw-YYYY-MM-DD`, inserted into only on its
// own day and dropped by the retention job at 03:00. Tables of past days receive no new rows,
// so they need not share the long snapshot transaction: reading each in its own short
// statement keeps the retention job's DROP TABLE from waiting on the backup (DESIGN §8,
// metadata locks). Postal may still rewrite the rows of a message it processes late
// (raw_table_state.hpp); incremental backups read such tables inside the snapshot.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace pbk::postal {

[[nodiscard]] std::optional<std::chrono::sys_days> raw_table_date(std::string_view table);

// True for a raw table at least two days older than `today` (UTC). The day of margin covers
// servers that named raw tables by local time (Postal before 2024) in any time zone.
[[nodiscard]] bool is_past_raw_table(std::string_view table, std::chrono::sys_days today);

} // namespace pbk::postal
