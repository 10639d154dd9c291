// SPDX-License-Identifier: MIT
// The command line: builds the subcommands, runs the chosen one, and is the one place that
// turns an error into its message and exit code (DESIGN §2).
#pragma once

namespace pbk::cli {

[[nodiscard]] int run(int argc, char** argv);

} // namespace pbk::cli
