// SPDX-License-Identifier: MIT
// --without-raw, --raw-since DATE, --raw-days N: the raw tables a selective restore leaves out,
// on `restore` and on `plan` (its dry run). Values are parsed by restore::parse_raw_selection,
// so every command refuses the same values with the same one-line error.
#pragma once

#include "restore/raw_selection.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace pbk::cli {

class RawArgs {
public:
  void add_to(CLI::App& command);
  [[nodiscard]] restore::RawSelection selection() const;

  [[nodiscard]] bool given() const { return m_without_raw || !m_since.empty() || !m_days.empty(); }

private:
  bool m_without_raw = false;
  std::string m_since;
  std::string m_days;
};

} // namespace pbk::cli
