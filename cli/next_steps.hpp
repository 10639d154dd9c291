// SPDX-License-Identifier: MIT
// The commands `plan`, `restore`, `status` and `finish` print for the operator to run next,
// complete, so that copied as printed they act on the same server: postal-backup's with the
// connection options that were given (--config first; a password file's path, never a
// password), and `postal upgrade` in the Docker form when the install is Postal's standard
// Docker one (ConnectionArgs::docker_compose_file).
#pragma once

#include "cli/connection_args.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace pbk::cli {

class NextSteps {
public:
  NextSteps() = default;
  explicit NextSteps(const ConnectionArgs& connection);

  // "postal-backup finish --config /opt/postal/config/postal.yml"
  [[nodiscard]] std::string postal_backup(const std::string& command) const;
  // "postal upgrade", or the Docker form running the installed release's migrations.
  [[nodiscard]] std::string postal_upgrade() const;
  // A plan's step completed: postal-backup's get the options, `postal upgrade` its form, any
  // other is left as it is.
  [[nodiscard]] std::string complete(const std::string& step) const;
  [[nodiscard]] std::vector<std::string> complete(const std::vector<std::string>& steps) const;

private:
  std::string m_options; // shell words, each with a leading space
  std::filesystem::path m_compose_file;
};

// `word` as one shell word: as it is when it holds only safe characters, else in single quotes.
[[nodiscard]] std::string shell_word(const std::string& word);

} // namespace pbk::cli
