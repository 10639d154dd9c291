// SPDX-License-Identifier: MIT
#include "cli/metrics_freshness.hpp"

#include "repository/backup_freshness.hpp"

#include "core/error.hpp"
#include "core/io/regular_file.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>

namespace pbk::cli {
namespace {

using core::Finding;
using core::Severity;

// Metrics files are a few kilobytes (metrics_file.cpp reads its previous one within the same).
constexpr std::uint64_t k_max_bytes = std::uint64_t{1} << 20;
constexpr std::string_view k_prefix = "postal_backup_";

bool is_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
         || (!first && c >= '0' && c <= '9');
}

// A sample value: a decimal number as format_metrics writes it ("12", "3.250"); whole
// seconds are kept. NaN, infinities and exponents are not ours.
std::optional<std::int64_t> sample_value(std::string_view text) {
  if (text.empty() || text.size() > 32) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)
      || value < -1e15 || value > 1e15) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

// The value of label `command` in `{…}` ("" when absent); nullopt when the labels are not
// name="value" pairs.
std::optional<std::string> command_label(std::string_view labels) {
  std::string command;
  while (!labels.empty()) {
    const auto equals = labels.find("=\"");
    if (equals == std::string_view::npos || equals == 0) {
      return std::nullopt;
    }
    const auto name = labels.substr(0, equals);
    std::string value;
    std::size_t i = equals + 2;
    for (; i < labels.size() && labels[i] != '"'; ++i) {
      if (labels[i] == '\\' && i + 1 < labels.size()) {
        ++i;
      }
      value += labels[i];
    }
    if (i >= labels.size()) {
      return std::nullopt;
    }
    if (name == "command") {
      command = value;
    }
    labels.remove_prefix(i + 1);
    if (!labels.empty() && labels.front() == ',') {
      labels.remove_prefix(1);
    }
  }
  return command;
}

struct Sample {
  std::string_view name;
  std::string command;
  std::int64_t value = 0;
};

std::optional<Sample> parse_sample(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_name_char(line[i], i == 0)) {
    ++i;
  }
  if (i == 0) {
    return std::nullopt;
  }
  Sample sample;
  sample.name = line.substr(0, i);
  auto rest = line.substr(i);
  if (!rest.empty() && rest.front() == '{') {
    const auto close = rest.find('}');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    auto command = command_label(rest.substr(1, close - 1));
    if (!command) {
      return std::nullopt;
    }
    sample.command = std::move(*command);
    rest.remove_prefix(close + 1);
  }
  if (rest.empty() || rest.front() != ' ') {
    return std::nullopt;
  }
  rest.remove_prefix(1);
  const auto space = rest.find(' '); // an optional timestamp follows
  const auto value = sample_value(rest.substr(0, space));
  if (!value) {
    return std::nullopt;
  }
  sample.value = *value;
  return sample;
}

void keep(RunRecord& record, const Sample& sample) {
  if (!sample.name.starts_with(k_prefix)) {
    return;
  }
  const auto name = sample.name.substr(k_prefix.size());
  if (name == "last_run_timestamp_seconds") {
    record.last_run = sample.value;
  } else if (name == "last_success_timestamp_seconds") {
    record.last_success = sample.value;
  } else if (name == "last_exit_code") {
    record.exit_code = sample.value;
  } else if (name == "drill_last_success_timestamp_seconds") {
    record.drill_last_success = sample.value;
  } else {
    return;
  }
  if (record.command.empty()) {
    record.command = sample.command;
  }
}

core::SystemTime unix_time(std::int64_t seconds) {
  return core::SystemTime(std::chrono::seconds(seconds));
}

std::string age_since(core::SystemTime now, std::int64_t seconds) {
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - unix_time(seconds));
  return repository::age_text(std::max(age, std::chrono::seconds(0))) + " ago";
}

Finding unbelieved(const std::string& path, const std::string& why) {
  return {Severity::warning,
          "metrics_file",
          path,
          "unreadable",
          why + ": the runs behind it cannot be judged",
          "point --metrics-file at the file the nightly create writes (--metrics-file of create)",
          ""};
}

Finding judge_drill(const RunRecord& record,
                    const std::string& path,
                    core::SystemTime now,
                    std::chrono::hours limit) {
  Finding finding{Severity::ok, "last_drill", path, "", "", "", ""};
  const auto success = record.drill_last_success.value_or(0);
  finding.value = success > 0 ? "passed " + age_since(now, success) : "none passed";
  const std::string fix = "run postal-backup drill DIR (weekly: docs/operations.md, Restore "
                          "drills) and look at why the last one failed";
  if (success <= 0 || now - unix_time(success) > limit) {
    finding.severity = Severity::warning;
    finding.message = "no drill has passed in the last " + std::to_string(limit.count() / 24)
                      + " days: nobody knows whether the backups restore";
    finding.fix = fix;
  } else if (record.exit_code.value_or(0) != 0) {
    finding.severity = Severity::warning;
    finding.message = "the last drill failed with exit " + std::to_string(*record.exit_code);
    finding.fix = fix;
  } else {
    finding.message = "a drill passed in the last " + std::to_string(limit.count() / 24) + " days";
  }
  return finding;
}

} // namespace

std::optional<RunRecord> parse_run_record(std::string_view text, std::string& error) {
  RunRecord record;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto sample = parse_sample(line);
    if (!sample) {
      error = "line " + std::to_string(number) + " is not a metrics sample";
      return std::nullopt;
    }
    keep(record, *sample);
  }
  if (record.command.empty() || !record.last_run) {
    error = "it records no run of postal-backup";
    return std::nullopt;
  }
  return record;
}

Finding judge_run_record(const RunRecord& record,
                         const std::string& path,
                         core::SystemTime now,
                         const FreshnessLimits& limits) {
  if (record.command == "drill") {
    return judge_drill(record, path, now, limits.max_drill_age);
  }
  Finding finding{Severity::ok, "metrics_file", path, "", "", "", ""};
  finding.value = record.command + " ran " + age_since(now, *record.last_run) + ", exit "
                  + std::to_string(record.exit_code.value_or(-1));
  const std::string fix = "check the timer or cron job that runs postal-backup " + record.command
                          + " (systemctl list-timers, its mail) and its last output";
  if (now - unix_time(*record.last_run) > limits.max_run_age) {
    finding.severity = Severity::warning;
    finding.message = "no " + record.command + " has run in the last "
                      + std::to_string(limits.max_run_age.count())
                      + " h: its timer or cron job has stopped";
    finding.fix = fix;
  } else if (record.exit_code.value_or(0) != 0) {
    finding.severity = Severity::warning;
    finding.message =
        "the last " + record.command + " failed with exit " + std::to_string(*record.exit_code);
    finding.fix = fix;
  } else {
    finding.message = "the last " + record.command + " succeeded in the last "
                      + std::to_string(limits.max_run_age.count()) + " h";
  }
  return finding;
}

Finding judge_metrics_file(const std::filesystem::path& path,
                           core::SystemTime now,
                           const FreshnessLimits& limits) {
  std::optional<core::io::RegularFile> file;
  try {
    file = core::io::read_regular_file(path, core::io::Symlinks::refuse, k_max_bytes);
  } catch (const core::IoError& e) {
    return unbelieved(path.string(),
                      e.err() == ENOENT ? "it does not exist (no run has written it)" : e.what());
  }
  if (!file) {
    return unbelieved(path.string(), "it is not a regular file (a link, FIFO or device)");
  }
  std::string error;
  const auto record = parse_run_record(file->content, error);
  if (!record) {
    return unbelieved(path.string(), "it is not a metrics file of postal-backup: " + error);
  }
  return judge_run_record(*record, path.string(), now, limits);
}

} // namespace pbk::cli
