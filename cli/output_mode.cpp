// SPDX-License-Identifier: MIT
#include "cli/output_mode.hpp"

#include "core/interrupt.hpp"
#include "core/printable.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

namespace pbk::cli {
namespace {

// Erases from the cursor to the end of the line: a shorter redraw leaves nothing behind.
constexpr const char* k_erase_line = "\033[K";
constexpr auto k_redraw_interval = std::chrono::milliseconds(200);

std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

std::string duration_text(double seconds) {
  const auto total = static_cast<long>(seconds + 0.5);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  }
  return text;
}

// "1.2 GiB of 3.4 GiB 35%"; an estimated total is marked "~", and once the job has passed it
// only the bytes done are shown: an estimate that was too low says nothing any more.
std::string amount_text(const core::Progress& progress) {
  std::string text = human_bytes(progress.done);
  if (progress.total == 0 || (progress.estimated && progress.done >= progress.total)) {
    return text;
  }
  const std::string about = progress.estimated ? "~" : "";
  const auto percent = std::min<std::uint64_t>(progress.done * 100 / progress.total, 100);
  return text + " of " + about + human_bytes(progress.total) + " " + about + std::to_string(percent)
         + "%";
}

} // namespace

std::string progress_line(const core::Progress& progress, double seconds, std::size_t columns) {
  std::vector<std::string> parts{amount_text(progress)};
  if (seconds >= 1 && progress.done > 0) {
    const double rate = static_cast<double>(progress.done) / seconds;
    parts.push_back(human_bytes(static_cast<std::uint64_t>(rate)) + "/s");
    // The first seconds' rate says little about the rest.
    if (progress.total > progress.done && seconds >= 3) {
      parts.push_back("ETA " + std::string(progress.estimated ? "~" : "")
                      + duration_text(static_cast<double>(progress.total - progress.done) / rate));
    }
  }
  std::string line;
  for (const auto& part : parts) {
    line += (line.empty() ? "" : "  ") + part;
  }
  const std::size_t width = std::max<std::size_t>(columns, 2) - 1;
  const auto current = core::printable(progress.current);
  if (!current.empty() && text_columns(line) + 3 < width) {
    line += "  " + fit_columns(current, width - text_columns(line) - 2);
  }
  return fit_columns(line, width);
}

TerminalReporter::TerminalReporter(OutputMode mode)
    : m_mode(mode),
      m_bar(!mode.quiet && ::isatty(STDERR_FILENO)) {
  if (m_bar) {
    m_columns = terminal_columns();
  }
}

TerminalReporter::~TerminalReporter() {
  clear_progress();
}

void TerminalReporter::info(std::string_view message) {
  if (m_mode.quiet) {
    return;
  }
  clear_progress();
  std::cerr << core::printable(message, core::LineBreaks::keep) << '\n';
}

void TerminalReporter::warn(std::string_view message) {
  if (m_mode.quiet) {
    return;
  }
  clear_progress();
  std::cerr << "postal-backup: warning: " << core::printable(message, core::LineBreaks::keep)
            << '\n';
}

void TerminalReporter::progress(const core::Progress& progress) {
  if (!m_bar) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (m_started == std::chrono::steady_clock::time_point{}) {
    m_started = now;
  }
  const bool resized = core::take_terminal_resize();
  if (resized) {
    m_columns = terminal_columns();
  }
  if (m_bar_visible && !resized && now - m_last_draw < k_redraw_interval) {
    return;
  }
  m_last_draw = now;
  const double seconds = std::chrono::duration<double>(now - m_started).count();
  std::cerr << '\r' << progress_line(progress, seconds, m_columns) << k_erase_line << std::flush;
  m_bar_visible = true;
}

void TerminalReporter::clear_progress() {
  if (m_bar_visible) {
    std::cerr << '\r' << k_erase_line << std::flush;
    m_bar_visible = false;
  }
}

HumanText::HumanText(std::ostream& stream)
    : m_stream(stream),
      m_target(stream.rdbuf(m_text.rdbuf())) {}

HumanText::~HumanText() {
  m_stream.rdbuf(m_target);
  m_stream << core::printable(m_text.str(), core::LineBreaks::keep) << std::flush;
}

std::string human_bytes(std::uint64_t bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string counted(std::uint64_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::size_t text_columns(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80; // not a UTF-8 continuation byte
  }));
}

std::string fit_columns(std::string_view text, std::size_t columns) {
  if (text_columns(text) <= columns) {
    return std::string(text);
  }
  if (columns == 0) {
    return {};
  }
  std::size_t kept = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    std::size_t next = end + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) {
      ++next;
    }
    if (kept + 1 == columns) {
      break;
    }
    ++kept;
    end = next;
  }
  return std::string(text.substr(0, end)) + "…";
}

std::string padded(const std::string& text, std::size_t columns) {
  const auto used = text_columns(text);
  return used >= columns ? text : text + std::string(columns - used, ' ');
}

} // namespace pbk::cli
