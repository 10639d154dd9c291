// SPDX-License-Identifier: MIT
#include "cli/load_args.hpp"

namespace pbk::cli {

void LoadArgs::add_to(CLI::App& command) {
  command.add_option("--threads", m_threads, "loader connections working at once (default 4)")
      ->check(CLI::Range(1, 16));
  command
      .add_option("--load-method",
                  m_method,
                  "bulk, load-data or insert (default: the fastest the server allows)")
      ->check(CLI::IsMember({"bulk", "load-data", "insert"}));
}

std::optional<restore::LoadMethod> LoadArgs::method() const {
  return m_method.empty() ? std::nullopt : restore::parse_load_method(m_method);
}

} // namespace pbk::cli
