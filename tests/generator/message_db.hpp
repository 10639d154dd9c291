// SPDX-License-Identifier: MIT
// Rows of one Postal message database (`<prefix>-server-<id>`): per-day raw tables and
// their raw_message_sizes rows, messages pointing at their raw header/body rows, and the
// deliveries, links, clicks, loads, spam checks, webhook requests, suppressions and
// statistics that go with them. live_stats stays empty on purpose.
#pragma once

#include "tests/generator/sql_out.hpp"

#include <cstdint>
#include <string>

namespace pbk::tests::generator {

struct MessageDbOptions {
  int level = 20; // 18 (utf8 raw tables) or 20 (utf8mb4)
  std::int64_t server_id = 1;
  std::int64_t messages = 200; // ignored when size > 0
  std::uint64_t seed = 1;
  std::int64_t raw_days = 0; // 0: 3, or 30 with size
  std::int64_t big_rows = 0;
  std::int64_t big_row_mib = 17;
  std::uint64_t size = 0; // generate until about this many raw bytes
  std::string start_date = "2025-01-01";
  std::int64_t rows_per_table = 3; // as given to `main`, so ids in the main DB match
};

void generate_message_db(const MessageDbOptions& options, SqlOut& out);

} // namespace pbk::tests::generator
