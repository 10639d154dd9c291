// SPDX-License-Identifier: MIT
#include "cli/metrics_file.hpp"

#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/regular_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace pbk::cli {
namespace {

constexpr std::string_view k_prefix = "postal_backup_";
constexpr std::string_view k_last_success = "last_success_timestamp_seconds";

// Label values are quoted; the exposition format escapes backslash, quote and newline.
std::string label_value(std::string_view value) {
  std::string text;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      text += '\\';
      text += c;
    } else if (c == '\n') {
      text += "\\n";
    } else {
      text += c;
    }
  }
  return '"' + text + '"';
}

class Writer {
public:
  explicit Writer(const std::string& command)
      : m_labels("command=" + label_value(command)) {}

  void gauge(std::string_view name, std::string_view help, const std::string& value) {
    header(name, help);
    m_out << k_prefix << name << '{' << m_labels << "} " << value << '\n';
  }

  void per_database(std::string_view name,
                    std::string_view help,
                    const std::vector<DatabaseMetrics>& databases,
                    std::uint64_t DatabaseMetrics::*field) {
    if (databases.empty()) {
      return;
    }
    header(name, help);
    for (const auto& database : databases) {
      m_out << k_prefix << name << '{' << m_labels << ",database=" << label_value(database.name)
            << "} " << database.*field << '\n';
    }
  }

  [[nodiscard]] std::string text() const { return m_out.str(); }

private:
  void header(std::string_view name, std::string_view help) {
    m_out << "# HELP " << k_prefix << name << ' ' << help << '\n'
          << "# TYPE " << k_prefix << name << " gauge\n";
  }

  std::string m_labels;
  std::ostringstream m_out;
};

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A metrics file is a few kilobytes; anything larger was not written by this tool.
constexpr std::uint64_t k_max_previous_bytes = std::uint64_t{1} << 20;

// The previous file only lends its last success time. Anyone who can write to the metrics
// directory can put a link, a FIFO or a device there: it is never followed, waited on or read
// past the limit, and is ignored with a note instead. Ignoring it costs nothing but the
// success time, so the alert on "no success recorded" fires, which is the safe side: a run
// never fails for it.
struct PreviousSuccess {
  std::optional<std::int64_t> time;
  std::optional<std::string> note;
};

PreviousSuccess previous_success(const std::filesystem::path& path) {
  const std::string ignored = "the previous metrics file " + path.string() + " was ignored: ";
  try {
    const auto file =
        core::io::read_regular_file(path, core::io::Symlinks::refuse, k_max_previous_bytes);
    if (!file) {
      return {std::nullopt, ignored + "it is not a regular file (a link, FIFO or device)"};
    }
    return {parse_last_success(file->content), std::nullopt};
  } catch (const core::IoError& e) {
    if (e.err() == ENOENT) {
      return {}; // the first run
    }
    return {std::nullopt, ignored + e.what()};
  }
}

// What to do about a metrics location that cannot be written: the IoError's own hints (a
// planted link) first, then the directory.
std::vector<std::string> fix_hints(const std::filesystem::path& path, const core::IoError& error) {
  auto hints = error.hints();
  const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  hints.push_back("create " + dir.string() + " (install -d -m 0755 " + dir.string()
                  + "), make it writable for this user, or change --metrics-file");
  return hints;
}

// A drill's own names, so an alert on "no drill passed for 8 days" needs no label matching
// and cannot be confused with the backups' success time.
void add_drill_metrics(Writer& out, const RunMetrics& metrics) {
  out.gauge("drill_last_success_timestamp_seconds",
            "Unix time the last drill that found a healthy install finished (0: none recorded).",
            std::to_string(metrics.last_success));
  out.gauge("drill_duration_seconds",
            "Wall time of the last drill.",
            seconds_text(metrics.duration_seconds));
  if (metrics.totals) { // absent when the drill failed before it restored anything
    out.gauge("drill_bytes",
              "Bytes of row data the last drill restored and checked.",
              std::to_string(metrics.totals->bytes_raw));
  }
}

} // namespace

std::string format_metrics(const RunMetrics& metrics) {
  Writer out(metrics.command);
  out.gauge(k_last_success,
            "Unix time the last successful run finished (0: none recorded).",
            std::to_string(metrics.last_success));
  out.gauge("last_run_timestamp_seconds",
            "Unix time the last run finished, successful or not.",
            std::to_string(metrics.finished_at));
  out.gauge("last_exit_code",
            "Exit code of the last run (0 success; see postal-backup(1)).",
            std::to_string(metrics.exit_code));
  out.gauge(
      "duration_seconds", "Wall time of the last run.", seconds_text(metrics.duration_seconds));
  if (metrics.command == "drill") {
    add_drill_metrics(out, metrics);
  }
  if (!metrics.totals) {
    return out.text();
  }
  const auto& totals = *metrics.totals;
  out.gauge("bytes_stored",
            "Bytes the run wrote (an incremental backup: its file and its newly stored members).",
            std::to_string(totals.bytes_stored));
  out.gauge("bytes_raw", "Bytes of row data before compression.", std::to_string(totals.bytes_raw));
  if (totals.bytes_referenced) {
    out.gauge("bytes_referenced",
              "Bytes an incremental backup referenced in its repository instead of storing.",
              std::to_string(*totals.bytes_referenced));
  }
  out.gauge("rows", "Rows in the archive.", std::to_string(totals.rows));
  out.per_database(
      "database_rows", "Rows of each database.", totals.databases, &DatabaseMetrics::rows);
  out.per_database("database_bytes_stored",
                   "Compressed bytes of each database in the archive.",
                   totals.databases,
                   &DatabaseMetrics::bytes_stored);
  out.per_database("database_bytes_raw",
                   "Bytes of row data of each database before compression.",
                   totals.databases,
                   &DatabaseMetrics::bytes_raw);
  return out.text();
}

std::optional<std::int64_t> parse_last_success(std::string_view text) {
  const std::string name = std::string(k_prefix) + std::string(k_last_success);
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) != 0) {
      continue;
    }
    auto rest = line.substr(name.size()); // `{labels} value [timestamp]` or ` value ...`
    if (!rest.empty() && rest.front() == '{') {
      const auto close = rest.rfind('}');
      rest = close == std::string::npos ? std::string() : rest.substr(close + 1);
    }
    if (rest.empty() || rest.front() != ' ') {
      continue; // another metric whose name starts alike
    }
    char* end = nullptr;
    const double value = std::strtod(rest.c_str() + 1, &end);
    if (end != rest.c_str() + 1 && value >= 0) {
      return static_cast<std::int64_t>(value);
    }
  }
  return std::nullopt;
}

std::vector<DatabaseMetrics> database_metrics(const archive::Manifest& manifest) {
  std::vector<DatabaseMetrics> list;
  std::map<std::string, std::size_t> index;
  for (const auto& member : manifest.members) {
    if (member.database.empty()) {
      continue; // backup.json belongs to no database
    }
    const auto [it, added] = index.emplace(member.database, list.size());
    if (added) {
      list.push_back({member.database});
    }
    auto& entry = list[it->second];
    entry.rows += member.rows;
    entry.bytes_stored += member.size;
    entry.bytes_raw += member.kind == archive::MemberKind::rows ? member.raw_size : 0;
  }
  return list;
}

MetricsFile::MetricsFile()
    : m_start(std::chrono::steady_clock::now()) {}

void MetricsFile::add_option(CLI::App& command) {
  command.add_option_function<std::string>(
      "--metrics-file",
      [this, name = command.get_name()](const std::string& path) {
        m_path = path;
        m_command = name;
      },
      "write Prometheus textfile-collector metrics of this run to FILE");
}

void MetricsFile::record(RunTotals totals) {
  m_totals = std::move(totals);
}

std::optional<std::string> MetricsFile::write(int exit_code) const {
  if (!enabled()) {
    return std::nullopt;
  }
  RunMetrics metrics;
  metrics.command = m_command;
  metrics.exit_code = exit_code;
  metrics.finished_at = unix_now();
  metrics.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  std::optional<std::string> note;
  if (exit_code == 0) {
    metrics.last_success = metrics.finished_at;
  } else {
    auto previous = previous_success(m_path);
    metrics.last_success = previous.time.value_or(0);
    note = std::move(previous.note);
  }
  metrics.totals = m_totals;                // recorded only once the command's work was done
  core::pausepoint("metrics.before_write"); // a test removes the directory here
  try {
    core::io::AtomicFile file(m_path, 0644, core::io::Overwrite::replace);
    file.sink().write(format_metrics(metrics));
    file.commit();
  } catch (const core::IoError& e) {
    // Exit 2, not 1: a wrapper retries exit 1, and a retried create writes a second archive.
    const std::string cause =
        "the metrics file " + m_path.string() + " could not be written: " + e.what();
    if (exit_code != 0) {
      throw core::Error(core::ExitCode::usage, cause, fix_hints(m_path, e));
    }
    auto hints = fix_hints(m_path, e);
    hints.insert(hints.begin(), "do not run it again for this: its work is done");
    throw core::Error(core::ExitCode::usage,
                      "the " + m_command + " itself succeeded"
                          + (m_result.empty() ? "" : " (" + m_result + ")") + ", but " + cause,
                      hints);
  }
  return note;
}

void MetricsFile::check_writable() {
  if (!enabled()) {
    return;
  }
  try {
    const core::io::AtomicFile probe(m_path, 0644, core::io::Overwrite::replace);
  } catch (const core::IoError& e) {
    core::Error error(core::ExitCode::usage,
                      "cannot write the metrics file " + m_path.string()
                          + " (--metrics-file): " + e.what() + "; nothing was done",
                      fix_hints(m_path, e));
    m_path.clear(); // the one error says it; write() would only repeat it
    throw error;
  }
}

} // namespace pbk::cli
