// SPDX-License-Identifier: MIT
// What `--help` and `postal-backup help` say beyond each option's own description: the
// value an option takes by what it is (FILE, DIR, N), examples for every command, and the
// exit codes once, in the top-level help.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace pbk::cli {

// Sets the metavar of every option of `app` and its subcommands, and each command's footer
// (its examples; the exit codes for the top level). Called once every command is added.
void describe_commands(CLI::App& app);

// Every command's name as typed after `postal-backup`, in the order `--help` lists them.
[[nodiscard]] std::vector<std::string> command_names(const CLI::App& app);

// `postal-backup help [command [subcommand]]`: the help text of the command the words name.
// Throws core::Error(usage) for an unknown name, with a suggestion.
[[nodiscard]] std::string help_for(const CLI::App& app, const std::vector<std::string>& words);

} // namespace pbk::cli
