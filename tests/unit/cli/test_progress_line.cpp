// SPDX-License-Identifier: MIT
// The progress line as an operator sees it: sized to the terminal, so that no redraw wraps
// and stays on screen, with the bytes of a known total, percent, rate and time left.
#include "cli/output_mode.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/terminal_run.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>

using pbk::cli::progress_line;
using pbk::cli::text_columns;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string k_long_table =
    "postal-server-12/raw-2024-11-30-with-a-name-longer-than-any-terminal-is-wide-"
    "because-labels-can-be";

// What each redraw put on the terminal: the progress line is drawn as "\r", the line, and
// "erase to the end of the line" (ESC [K).
std::vector<std::string> redraws(const std::string& screen) {
  std::vector<std::string> lines;
  for (auto end = screen.find("\033[K"); end != std::string::npos;
       end = screen.find("\033[K", end + 1)) {
    const auto start = screen.rfind('\r', end);
    lines.push_back(start == std::string::npos ? screen.substr(0, end)
                                               : screen.substr(start + 1, end - start - 1));
  }
  return lines;
}

std::string tool_path() {
  const char* bin = std::getenv("PBK_BIN");
  return bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup";
}

} // namespace

BOOST_AUTO_TEST_SUITE(ProgressLine)

// Lost if it failed: in an 80-column terminal every redraw would wrap onto a new line, and a
// long table name would fill the screen with stale progress lines.
BOOST_AUTO_TEST_CASE(fits_the_terminal_at_every_width) {
  for (const std::size_t columns : {80U, 60U, 40U, 20U, 1U}) {
    const auto line = progress_line({3ULL << 30, 9ULL << 30, false, k_long_table}, 42, columns);
    BOOST_TEST(text_columns(line) <= std::max<std::size_t>(columns, 2) - 1,
               columns << ": " << line);
  }
}

// Lost if it failed: the operator could not tell how far a restore or verify is, nor how long
// it will still take.
BOOST_AUTO_TEST_CASE(a_known_total_shows_percent_rate_and_time_left) {
  const auto line = progress_line({3ULL << 30, 12ULL << 30, false, "postal.messages"}, 30, 100);
  BOOST_TEST(line == "3.0 GiB of 12.0 GiB 25%  102.4 MiB/s  ETA 1:30  postal.messages");
}

// Lost if it failed: a backup whose estimate was too high would stop at "80 %" with no word
// that the total was only the server's estimate, and one that was too low would claim 100 %
// long before it ends.
BOOST_AUTO_TEST_CASE(an_estimated_total_says_so_and_is_dropped_once_passed) {
  const auto estimated = progress_line({1ULL << 30, 4ULL << 30, true, "postal/messages"}, 10, 100);
  BOOST_TEST(estimated == "1.0 GiB of ~4.0 GiB ~25%  102.4 MiB/s  ETA ~0:30  postal/messages");
  const auto passed = progress_line({5ULL << 30, 4ULL << 30, true, "postal/messages"}, 10, 100);
  BOOST_TEST(passed == "5.0 GiB  512.0 MiB/s  postal/messages");
}

// Lost if it failed: the first instant's rate (or a rate from nothing) would be shown as fact.
BOOST_AUTO_TEST_CASE(no_rate_in_the_first_second_and_no_eta_before_three) {
  BOOST_TEST(progress_line({1 << 20, 10 << 20, false, "x"}, 0.5, 80)
             == "1.0 MiB of 10.0 MiB 10%  x");
  BOOST_TEST(progress_line({1 << 20, 10 << 20, false, "x"}, 2, 80)
             == "1.0 MiB of 10.0 MiB 10%  512.0 KiB/s  x");
}

// Lost if it failed: a verify watched in an 80-column terminal (the common size) would leave
// wrapped progress lines on screen; run on a real pseudo-terminal, as an operator runs it.
BOOST_AUTO_TEST_CASE(verify_on_an_80_column_terminal_never_wraps) {
  const auto archive =
      std::filesystem::path(PBK_SOURCE_DIR) / "tests" / "fixtures" / "archives" / "good.tar";
  for (const unsigned short columns : {80, 30}) {
    const auto run = pbk::test::run_in_terminal({tool_path(), "verify", archive.string()}, columns);
    BOOST_TEST_REQUIRE(run.exit_code == 0, run.screen);
    bool progress_drawn = false;
    for (const auto& line : redraws(run.screen)) {
      progress_drawn = progress_drawn || contains(line, "%");
      BOOST_TEST(text_columns(line) < columns, columns << " columns: '" << line << "'");
    }
    BOOST_TEST(progress_drawn, "no progress line was drawn: " << run.screen);
  }
}

BOOST_AUTO_TEST_SUITE_END()
