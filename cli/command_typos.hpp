// SPDX-License-Identifier: MIT
// A mistyped command or option named back to the operator with what was probably meant
// ("unknown command 'creat' — did you mean create?"), in place of the parser's own message.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pbk::cli {

// The edit distance (insertions, deletions, substitutions, swaps of neighbours) between two
// words.
[[nodiscard]] std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word`, when it is close enough to be a typo of it, or the one
// candidate `word` begins.
[[nodiscard]] std::optional<std::string> closest(const std::string& word,
                                                 const std::vector<std::string>& candidates);

// "unknown command 'x' — did you mean y?" (or the list of commands when none is close);
// `parent` is "" for the top level, else the command whose subcommand was mistyped.
[[nodiscard]] std::string unknown_command_message(const std::string& word,
                                                  const std::string& parent,
                                                  const std::vector<std::string>& commands);

// After a parse error: the first word of the command line that names no command or option of
// `app`, as a one-line message with a suggestion; nullopt when every word is known (the
// parser's message then stands).
[[nodiscard]] std::optional<std::string>
explain_unknown_word(const CLI::App& app, int argc, const char* const* argv);

} // namespace pbk::cli
