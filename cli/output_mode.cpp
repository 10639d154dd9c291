// SPDX-License-Identifier: MIT
#include "cli/output_mode.hpp"

#include "core/printable.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace pbk::cli {

TerminalReporter::TerminalReporter(OutputMode mode)
    : m_mode(mode),
      m_bar(!mode.quiet && ::isatty(STDERR_FILENO)) {}

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

void TerminalReporter::progress(std::uint64_t done, std::uint64_t total, std::string_view current) {
  if (!m_bar) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (m_bar_visible && now - m_last_draw < std::chrono::milliseconds(200)) {
    return;
  }
  m_last_draw = now;
  std::string line = "\r" + human_bytes(done);
  if (total > 0) {
    const auto percent = done >= total ? 99 : done * 100 / total;
    line += " of ~" + human_bytes(total) + " (" + std::to_string(percent) + "%)";
  }
  line += "  " + core::printable(current.substr(0, 50));
  line.resize(std::max<std::size_t>(line.size(), 90), ' ');
  std::cerr << line << std::flush;
  m_bar_visible = true;
}

void TerminalReporter::clear_progress() {
  if (m_bar_visible) {
    std::cerr << '\r' << std::string(90, ' ') << '\r' << std::flush;
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

} // namespace pbk::cli
