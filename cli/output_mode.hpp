// SPDX-License-Identifier: MIT
// How a command talks: human text on stderr (with a progress bar on a terminal), one JSON
// document on stdout (--json), or nothing on success (--quiet, for cron).
#pragma once

#include "core/reporter.hpp"

#include <chrono>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>

namespace pbk::cli {

struct OutputMode {
  bool json = false;
  bool quiet = false;
};

// The progress line on a terminal: bytes done of the total, percent, rate, time left and
// what is being worked on, cut to fit `columns` - 1 (a line that reaches the last column
// wraps on some terminals, and a redraw with \r then leaves the old line on screen).
// `seconds` is the time since the job's first progress.
[[nodiscard]] std::string
progress_line(const core::Progress& progress, double seconds, std::size_t columns);

class TerminalReporter final : public core::Reporter {
public:
  explicit TerminalReporter(OutputMode mode);
  ~TerminalReporter() override;

  void info(std::string_view message) override;
  void warn(std::string_view message) override;
  void progress(const core::Progress& progress) override;
  // Removes the progress line before normal output continues.
  void clear_progress();

private:
  OutputMode m_mode;
  bool m_bar;
  bool m_bar_visible = false;
  std::size_t m_columns = 80;
  std::chrono::steady_clock::time_point m_started;
  std::chrono::steady_clock::time_point m_last_draw;
};

// Human-readable text quotes names, tags and labels read from archives, directories and the
// journal. While a HumanText lives, what is written to its stream is collected; it is written
// through core::printable() when the HumanText goes out of scope, so no control sequence in
// that text reaches the terminal, whichever function printed it.
class HumanText {
public:
  explicit HumanText(std::ostream& stream);
  HumanText(const HumanText&) = delete;
  HumanText& operator=(const HumanText&) = delete;
  ~HumanText();

private:
  std::ostream& m_stream;
  std::ostringstream m_text;
  std::streambuf* m_target;
};

[[nodiscard]] std::string human_bytes(std::uint64_t bytes);
// "1 row", "2 rows": `noun` is the singular; its plural adds an s.
[[nodiscard]] std::string counted(std::uint64_t count, std::string_view noun);
// The columns a terminal gives `text` (UTF-8: one per character, as printable() leaves it).
[[nodiscard]] std::size_t text_columns(std::string_view text);
// `text` cut to at most `columns` characters, "…" marking the cut.
[[nodiscard]] std::string fit_columns(std::string_view text, std::size_t columns);
// `text` followed by spaces up to `columns` characters.
[[nodiscard]] std::string padded(const std::string& text, std::size_t columns);

} // namespace pbk::cli
