// SPDX-License-Identifier: MIT
// `doctor --metrics-file F`: what a metrics file written by `create` (or `drill`, or any
// command with --metrics-file) says of the runs behind it. A file that stopped changing is
// a timer that stopped firing; its alert would fire too, but only where someone scrapes it.
// Whoever can write to the metrics directory can put anything there: the file is read only
// when it is a regular file (never through a link, never past 1 MiB) and parsed strictly,
// every line a comment or one sample of the exposition format, or it is not believed.
#pragma once

#include "core/clock.hpp"
#include "core/finding.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::cli {

// A drill is weekly: a week and a day.
inline constexpr std::chrono::hours k_default_max_drill_age{8 * 24};

struct RunRecord {
  std::string command;                            // the `command` label
  std::optional<std::int64_t> last_run;           // last_run_timestamp_seconds
  std::optional<std::int64_t> last_success;       // last_success_timestamp_seconds
  std::optional<std::int64_t> exit_code;          // last_exit_code
  std::optional<std::int64_t> drill_last_success; // drill_last_success_timestamp_seconds
};

// nullopt (with `error` set) when a line is neither a comment nor a well-formed sample, or
// the samples name no command.
[[nodiscard]] std::optional<RunRecord> parse_run_record(std::string_view text, std::string& error);

struct FreshnessLimits {
  std::chrono::hours max_run_age;   // create's and other commands' files
  std::chrono::hours max_drill_age; // a drill's file
};

// The file's finding: `metrics_file` for a backup's file, `last_drill` for a drill's. A
// warning when it is missing, unreadable or malformed, when its last run failed, or when its
// last run (a drill's: its last success) is older than the limit.
[[nodiscard]] core::Finding judge_metrics_file(const std::filesystem::path& path,
                                               core::SystemTime now,
                                               const FreshnessLimits& limits);
// Pure: the judgement of a parsed record.
[[nodiscard]] core::Finding judge_run_record(const RunRecord& record,
                                             const std::string& path,
                                             core::SystemTime now,
                                             const FreshnessLimits& limits);

} // namespace pbk::cli
