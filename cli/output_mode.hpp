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

class TerminalReporter final : public core::Reporter {
public:
  explicit TerminalReporter(OutputMode mode);
  ~TerminalReporter() override;

  void info(std::string_view message) override;
  void warn(std::string_view message) override;
  void progress(std::uint64_t done, std::uint64_t total, std::string_view current) override;
  // Removes the progress line before normal output continues.
  void clear_progress();

private:
  OutputMode m_mode;
  bool m_bar;
  bool m_bar_visible = false;
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

} // namespace pbk::cli
