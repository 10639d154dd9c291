// SPDX-License-Identifier: MIT
// Runs a program on a pseudo-terminal of a given width, as an operator's terminal would run
// it: what the program draws for a terminal (the progress line) is drawn, and captured.
#pragma once

#include <string>
#include <vector>

namespace pbk::test {

struct TerminalRun {
  int exit_code = 0;
  std::string screen; // every byte written to the terminal, stdout and stderr as they came
};

// argv[0] is a path. Throws std::runtime_error when no terminal can be opened.
[[nodiscard]] TerminalRun run_in_terminal(const std::vector<std::string>& argv,
                                          unsigned short columns);

} // namespace pbk::test
