// SPDX-License-Identifier: MIT
// --metrics-file: Prometheus textfile-collector metrics of one run, so that a backup that
// failed, or silently stopped running, raises an alert. A command records what it learnt;
// cli/app.cpp writes the file once the exit code is known, after a failure as after a
// success. A failed run keeps last_success_timestamp_seconds of the previous file, so the
// age of the last good backup keeps growing until one succeeds.
#pragma once

#include "archive/manifest.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::cli {

struct DatabaseMetrics {
  std::string name;
  std::uint64_t rows = 0;
  std::uint64_t bytes_stored = 0;
  std::uint64_t bytes_raw = 0;
};

// What a run knew about the data it handled; absent when it failed before knowing.
struct RunTotals {
  std::uint64_t rows = 0;
  std::uint64_t bytes_stored = 0;
  std::uint64_t bytes_raw = 0;
  std::optional<std::uint64_t> bytes_referenced; // create --incremental
  std::vector<DatabaseMetrics> databases;
};

struct RunMetrics {
  std::string command; // the `command` label: create, verify, restore
  int exit_code = 0;
  std::int64_t finished_at = 0;  // Unix seconds
  std::int64_t last_success = 0; // Unix seconds; 0 when no run has succeeded yet
  double duration_seconds = 0;
  std::optional<RunTotals> totals;
};

// The file's text: HELP and TYPE lines, then the samples, every one labelled with the command.
[[nodiscard]] std::string format_metrics(const RunMetrics& metrics);

// last_success_timestamp_seconds of an earlier file; nullopt when it holds none.
[[nodiscard]] std::optional<std::int64_t> parse_last_success(std::string_view text);

// Rows and bytes of each database of an archive, in the manifest's order.
[[nodiscard]] std::vector<DatabaseMetrics> database_metrics(const archive::Manifest& manifest);

class MetricsFile {
public:
  MetricsFile(); // the run's duration counts from here

  // Adds --metrics-file PATH to `command`; giving it enables the file for that command.
  void add_option(CLI::App& command);
  void record(RunTotals totals);

  // What the run left behind ("wrote FILE"), named when its metrics cannot be written at the
  // end, so that nobody runs it again for a failure of the metrics alone.
  void record_result(std::string result) { m_result = std::move(result); }

  // Creates and removes FILE.partial exactly as write() will. Called before a command does
  // any work: a metrics location that cannot be written is a usage error (exit 2) found
  // before an archive exists, not after; the file is then not tried again at the end. No-op
  // when not enabled.
  void check_writable();

  // --help or --version was asked for: nothing ran, so nothing is written.
  void cancel() noexcept { m_path.clear(); }

  [[nodiscard]] bool enabled() const noexcept { return !m_path.empty(); }

  // Writes the file atomically (mode 0644: the collector runs as another user), reading the
  // previous success time from the file it replaces. No-op when not enabled. Throws a usage
  // Error (exit 2: fix the location, never retry) that names the file and, after a
  // successful run, says that the run itself succeeded and what it wrote.
  // Returns a note when the previous file was not a regular file or not readable within
  // bounds: it was then ignored (see previous_success in metrics_file.cpp).
  [[nodiscard]] std::optional<std::string> write(int exit_code) const;

private:
  std::filesystem::path m_path;
  std::string m_command;
  std::optional<RunTotals> m_totals;
  std::string m_result;
  std::chrono::steady_clock::time_point m_start;
};

} // namespace pbk::cli
