// SPDX-License-Identifier: MIT
// Runs an operator's command (`--migrate-with`, `--schedule-migrations`) through /bin/sh, its
// output shown on our stderr so that stdout stays one JSON document under --json. The
// command's exit status is returned, not thrown: what a failure means is the caller's call.
#pragma once

#include <map>
#include <string>

namespace pbk::core {

// Exit status of the command; 128 + N when killed by signal N. Throws IoError when it
// cannot be started at all.
[[nodiscard]] int run_shell_command(const std::string& command,
                                    const std::map<std::string, std::string>& environment);

} // namespace pbk::core
