// SPDX-License-Identifier: MIT
// How a restore and its later states read, for people and for scripts (--json). Shared by
// `restore`, `finish`, `status` and `rollback` so they describe a restore the same way.
#pragma once

#include "restore/restore_control.hpp"
#include "restore/restore_job.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace pbk::cli {

[[nodiscard]] nlohmann::ordered_json restore_outcome_json(const restore::RestoreOutcome& outcome);
void print_restore_outcome(const restore::RestoreOutcome& outcome, std::ostream& out);

[[nodiscard]] nlohmann::ordered_json restore_status_json(const restore::RestoreStatus& status);
void print_restore_status(const restore::RestoreStatus& status, std::ostream& out);

// --quiet: the one line a restore awaiting migrations (exit 3) prints, on stderr.
[[nodiscard]] std::string awaiting_migrations_line(const std::string& restore_id,
                                                   std::size_t missing);

} // namespace pbk::cli
