// SPDX-License-Identifier: MIT
// UTC timestamps in the two spellings the archive uses: ISO 8601 in JSON, compact in names.
#pragma once

#include <chrono>
#include <string>

namespace pbk::core {

using SystemTime = std::chrono::system_clock::time_point;

[[nodiscard]] std::string iso8601_utc(SystemTime t); // 2026-11-25T03:00:00Z
[[nodiscard]] std::string compact_utc(SystemTime t); // 20261125T030000Z
[[nodiscard]] std::string date_utc(SystemTime t);    // 2026-11-25

} // namespace pbk::core
