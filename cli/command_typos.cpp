// SPDX-License-Identifier: MIT
#include "cli/command_typos.hpp"

#include <algorithm>

namespace pbk::cli {
namespace {

std::vector<const CLI::App*> named_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
}

// The options of `app` and of its option groups (nameless subcommands, such as Connection).
void gather_options(const CLI::App& app, std::vector<const CLI::Option*>& out) {
  for (const auto* option : app.get_options()) {
    out.push_back(option);
  }
  for (const auto* group :
       app.get_subcommands([](const CLI::App* sub) { return sub->get_name().empty(); })) {
    gather_options(*group, out);
  }
}

// An option of `app` or of a command above it (--json and --quiet are accepted anywhere).
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent()) {
    if (const auto* option = app->get_option_no_throw(name)) {
      return option;
    }
  }
  return nullptr;
}

std::vector<std::string> option_names(const CLI::App* app) {
  std::vector<std::string> names;
  for (; app != nullptr; app = app->get_parent()) {
    std::vector<const CLI::Option*> options;
    gather_options(*app, options);
    for (const auto* option : options) {
      for (const auto& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
    }
  }
  return names;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    path = app->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

std::string unknown_option_message(const std::string& name, const CLI::App* app) {
  const auto path = command_path(app);
  const auto suggestion = closest(name, option_names(app));
  return "unknown option '" + name + "'" + (path.empty() ? "" : " for " + path)
         + (suggestion ? " \u2014 did you mean " + *suggestion + "?"
                       : ": 'postal-backup help" + (path.empty() ? "" : " " + path)
                             + "' lists the options");
}

} // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment: one row per prefix of `a`, the two rows before kept for swaps.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closest(const std::string& word,
                                   const std::vector<std::string>& candidates) {
  // Words are short: one mistake in four letters, at most two, is still the same word.
  const std::size_t allowed = std::clamp<std::size_t>(word.size() / 4, 1, 2);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const auto distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best || word.size() < 3) {
    return best;
  }
  // A word cut short ("user" for "username"): the one candidate it begins.
  for (const auto& candidate : candidates) {
    if (candidate.starts_with(word)) {
      if (best) {
        return std::nullopt;
      }
      best = candidate;
    }
  }
  return best;
}

std::string unknown_command_message(const std::string& word,
                                    const std::string& parent,
                                    const std::vector<std::string>& commands) {
  const std::string prefix = parent.empty() ? "" : parent + " ";
  const auto suggestion = closest(word, commands);
  if (suggestion) {
    return "unknown command '" + prefix + word + "' \u2014 did you mean " + prefix + *suggestion
           + "?";
  }
  std::string list;
  for (const auto& command : commands) {
    list += (list.empty() ? "" : ", ") + command;
  }
  return "unknown command '" + prefix + word + "': the commands are " + list;
}

std::optional<std::string>
explain_unknown_word(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* current = &app;
  std::size_t positionals_taken = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") {
      return std::nullopt;
    }
    if (word.size() > 1 && word[0] == '-') {
      const auto name = word.substr(0, word.find('='));
      const auto* option = find_option(current, name);
      if (option == nullptr) {
        return unknown_option_message(name, current);
      }
      // A flag expects no value (CLI11's add_flag sets expected(0)).
      if (option->get_expected_max() != 0 && name.size() == word.size()) {
        ++i; // its value
      }
      continue;
    }
    std::vector<std::string> commands;
    for (const auto* sub : named_subcommands(*current)) {
      commands.push_back(sub->get_name());
    }
    const auto found = std::find(commands.begin(), commands.end(), word);
    if (found != commands.end()) {
      current = current->get_subcommand(word);
      positionals_taken = 0;
      continue;
    }
    std::size_t positional_words = 0;
    for (const auto* option :
         current->get_options([](const CLI::Option* o) { return o->get_positional(); })) {
      positional_words += static_cast<std::size_t>(std::max(option->get_items_expected_max(), 0));
    }
    if (positionals_taken < positional_words) {
      ++positionals_taken;
      continue;
    }
    if (!commands.empty()) {
      return unknown_command_message(word, command_path(current), commands);
    }
    return std::nullopt; // an extra argument: the parser's message names it
  }
  return std::nullopt;
}

} // namespace pbk::cli
