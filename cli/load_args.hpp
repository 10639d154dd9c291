// SPDX-License-Identifier: MIT
// The loader options of the commands that load an archive through the staging loader
// (restore, drill): the same names, ranges and defaults, since it is the same loader.
#pragma once

#include "restore/row_loader.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace pbk::cli {

class LoadArgs {
public:
  void add_to(CLI::App& command);

  [[nodiscard]] unsigned workers() const { return m_threads; }

  // nullopt: the fastest method the server allows.
  [[nodiscard]] std::optional<restore::LoadMethod> method() const;

private:
  unsigned m_threads = 4;
  std::string m_method;
};

} // namespace pbk::cli
