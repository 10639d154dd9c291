// SPDX-License-Identifier: MIT
// doctor --metrics-file: the file create or drill writes, read back strictly and judged by
// how old its last run (a drill's: its last success) is; a planted or malformed file is not
// believed and never followed.
#include "cli/metrics_file.hpp"
#include "cli/metrics_freshness.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

using namespace pbk::cli;
using pbk::core::Severity;
using std::chrono::hours;

BOOST_TEST_DONT_PRINT_LOG_VALUE(pbk::core::Severity)

namespace {

const FreshnessLimits k_limits{hours(26), hours(8 * 24)};

std::int64_t unix_seconds(pbk::core::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The text create (or drill) writes, finished `age` before `now`.
std::string written(const std::string& command,
                    int exit_code,
                    pbk::core::SystemTime now,
                    hours age,
                    hours success_age) {
  RunMetrics metrics;
  metrics.command = command;
  metrics.exit_code = exit_code;
  metrics.finished_at = unix_seconds(now - age);
  metrics.last_success = unix_seconds(now - success_age);
  metrics.duration_seconds = 12.5;
  metrics.totals = RunTotals{10, 20, 30, std::nullopt, {{"postal", 1, 2, 3}}};
  return format_metrics(metrics);
}

RunRecord parsed(const std::string& text) {
  std::string error;
  const auto record = parse_run_record(text, error);
  BOOST_TEST_REQUIRE(record.has_value(), error);
  return *record;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(MetricsFreshness)

// Lost if it failed: doctor could not read the files this tool writes, and every healthy
// install would be told its metrics are broken.
BOOST_AUTO_TEST_CASE(what_create_and_drill_write_reads_back) {
  const auto now = std::chrono::system_clock::now();
  const auto create = parsed(written("create", 0, now, hours(2), hours(2)));
  BOOST_TEST(create.command == "create");
  BOOST_TEST(create.last_run.value_or(0) == unix_seconds(now - hours(2)));
  BOOST_TEST(create.exit_code.value_or(-1) == 0);
  BOOST_TEST(judge_run_record(create, "f", now, k_limits).severity == Severity::ok);
  const auto drill = parsed(written("drill", 0, now, hours(30), hours(30)));
  BOOST_TEST(drill.drill_last_success.value_or(0) == unix_seconds(now - hours(30)));
  const auto finding = judge_run_record(drill, "f", now, k_limits);
  BOOST_TEST(finding.id == "last_drill");
  BOOST_TEST(finding.severity == Severity::ok);
}

// Lost if it failed: a backup timer that stopped firing, or whose runs all fail, would look
// healthy as long as its old file stayed in place.
BOOST_AUTO_TEST_CASE(a_stale_or_failing_run_is_a_warning) {
  const auto now = std::chrono::system_clock::now();
  const auto stale =
      judge_run_record(parsed(written("create", 0, now, hours(27), hours(27))), "f", now, k_limits);
  BOOST_TEST(stale.severity == Severity::warning);
  BOOST_TEST(stale.message.find("has stopped") != std::string::npos, stale.message);
  const auto failing =
      judge_run_record(parsed(written("create", 1, now, hours(1), hours(25))), "f", now, k_limits);
  BOOST_TEST(failing.severity == Severity::warning);
  BOOST_TEST(failing.message.find("failed with exit 1") != std::string::npos, failing.message);
  const auto old_drill = judge_run_record(
      parsed(written("drill", 4, now, hours(1), hours(9 * 24))), "f", now, k_limits);
  BOOST_TEST(old_drill.id == "last_drill");
  BOOST_TEST(old_drill.severity == Severity::warning);
  const auto failed_drill = judge_run_record(
      parsed(written("drill", 4, now, hours(1), hours(2 * 24))), "f", now, k_limits);
  BOOST_TEST(failed_drill.severity == Severity::warning);
}

// Lost if it failed: a file someone else put in the metrics directory could pass for a
// fresh backup, or feed doctor values it prints as if they were the tool's own.
BOOST_AUTO_TEST_CASE(anything_but_well_formed_samples_is_not_believed) {
  std::string error;
  const std::string good = "postal_backup_last_run_timestamp_seconds{command=\"create\"} 100\n";
  BOOST_TEST(parse_run_record(good, error).has_value(), error);
  for (const std::string& bad :
       {good + "rm -rf /\n",
        good + "postal_backup_last_exit_code{command=\"create\"} NaN\n",
        good + "postal_backup_last_exit_code{command=\"create\"} 1e400\n",
        good + "postal_backup_last_exit_code{command=\"create} 0\n",
        std::string("postal_backup_last_run_timestamp_seconds 100\n"),
        std::string("# only a comment\n"),
        std::string("postal_backup_last_run_timestamp_seconds{command=\"create\"}100\n")}) {
    BOOST_TEST(!parse_run_record(bad, error).has_value(), bad);
  }
}

// Lost if it failed: a link planted where the metrics file was would be followed (to any file
// on the machine), a FIFO would hang doctor, and a missing file would read as fine.
BOOST_AUTO_TEST_CASE(the_file_is_read_only_when_it_is_a_small_regular_file) {
  const pbk::test::TempDir dir;
  const auto now = std::chrono::system_clock::now();
  const auto target = dir / "real.prom";
  write_file(target, written("create", 0, now, hours(1), hours(1)));
  BOOST_TEST(judge_metrics_file(target, now, k_limits).severity == Severity::ok);

  const auto link = dir / "link.prom";
  std::filesystem::create_symlink(target, link);
  const auto linked = judge_metrics_file(link, now, k_limits);
  BOOST_TEST(linked.severity == Severity::warning);
  BOOST_TEST(linked.message.find("not a regular file") != std::string::npos, linked.message);

  const auto fifo = dir / "fifo.prom";
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  BOOST_TEST(judge_metrics_file(fifo, now, k_limits).severity == Severity::warning);

  const auto huge = dir / "huge.prom";
  write_file(huge, std::string((1u << 20) + 1, '#'));
  BOOST_TEST(judge_metrics_file(huge, now, k_limits).severity == Severity::warning);

  const auto missing = judge_metrics_file(dir / "missing.prom", now, k_limits);
  BOOST_TEST(missing.severity == Severity::warning);
  BOOST_TEST(missing.message.find("does not exist") != std::string::npos, missing.message);
}

BOOST_AUTO_TEST_SUITE_END()
