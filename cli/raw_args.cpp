// SPDX-License-Identifier: MIT
#include "cli/raw_args.hpp"

namespace pbk::cli {

void RawArgs::add_to(CLI::App& command) {
  command.add_flag("--without-raw",
                   m_without_raw,
                   "leave every raw-message table out; their messages show the raw message as "
                   "no longer available");
  command.add_option(
      "--raw-since", m_since, "leave out the raw tables of days before DATE (YYYY-MM-DD)");
  command.add_option("--raw-days",
                     m_days,
                     "keep only the raw tables of the newest N days each message database "
                     "holds in the archive");
}

restore::RawSelection RawArgs::selection() const {
  return restore::parse_raw_selection(m_without_raw, m_since, m_days);
}

} // namespace pbk::cli
