// SPDX-License-Identifier: MIT
// Runs a program the way a user or a cron job would, for CLI-level tests: argv executed
// directly (no shell), stdin fed from a string, stdout and stderr captured separately.
#pragma once

#include <string>
#include <vector>

namespace pbk::test {

struct CommandResult {
  int exit_code = 0; // 128 + signal number when the program was killed by a signal
  std::string out;
  std::string err;
  long max_rss_kib = 0; // the program's peak resident memory (wait4's ru_maxrss)
};

// argv[0] is looked up in PATH; `extra_env` entries ("NAME=value") are added to or replace
// the test's own environment. Throws std::runtime_error when the program cannot be started.
[[nodiscard]] CommandResult run_command(std::vector<std::string> argv,
                                        std::string stdin_data = {},
                                        std::vector<std::string> extra_env = {});

} // namespace pbk::test
