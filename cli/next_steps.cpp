// SPDX-License-Identifier: MIT
#include "cli/next_steps.hpp"

#include <algorithm>

namespace pbk::cli {

std::string shell_word(const std::string& word) {
  const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || std::string_view("-_./:=@%+,").find(c) != std::string_view::npos;
  });
  if (safe) {
    return word;
  }
  std::string quoted = "'";
  for (const char c : word) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

NextSteps::NextSteps(const ConnectionArgs& connection)
    : m_compose_file(connection.docker_compose_file()) {
  for (const auto& word : connection.given_options()) {
    m_options += " " + shell_word(word);
  }
}

std::string NextSteps::postal_backup(const std::string& command) const {
  return "postal-backup " + command + m_options;
}

std::string NextSteps::postal_upgrade() const {
  if (m_compose_file.empty()) {
    return "postal upgrade";
  }
  return "docker compose -p postal -f " + shell_word(m_compose_file.string())
         + " run --rm runner postal upgrade";
}

std::string NextSteps::complete(const std::string& step) const {
  constexpr std::string_view tool = "postal-backup ";
  if (step.starts_with(tool)) {
    return postal_backup(step.substr(tool.size()));
  }
  return step == "postal upgrade" ? postal_upgrade() : step;
}

std::vector<std::string> NextSteps::complete(const std::vector<std::string>& steps) const {
  std::vector<std::string> completed;
  for (const auto& step : steps) {
    completed.push_back(complete(step));
  }
  return completed;
}

} // namespace pbk::cli
