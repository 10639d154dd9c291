// SPDX-License-Identifier: MIT
// How a restore and its later states read, for people and for scripts (--json). Shared by
// `restore`, `finish`, `status` and `rollback` so they describe a restore the same way.
#pragma once

#include "cli/next_steps.hpp"
#include "restore/restore_control.hpp"
#include "restore/restore_job.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace pbk::cli {

// Every command printed is complete (NextSteps): copied as printed it acts on the same server.
[[nodiscard]] nlohmann::ordered_json restore_outcome_json(const restore::RestoreOutcome& outcome,
                                                          const NextSteps& steps);
void print_restore_outcome(const restore::RestoreOutcome& outcome,
                           const NextSteps& steps,
                           std::ostream& out);

[[nodiscard]] nlohmann::ordered_json restore_status_json(const restore::RestoreStatus& status,
                                                         const NextSteps& steps);
void print_restore_status(const restore::RestoreStatus& status,
                          const NextSteps& steps,
                          std::ostream& out);

// --quiet: the one line a restore awaiting migrations (exit 3) prints, on stderr.
[[nodiscard]] std::string awaiting_migrations_line(const std::string& restore_id,
                                                   const std::optional<restore::GateResult>& gate,
                                                   std::size_t missing,
                                                   const NextSteps& steps);

} // namespace pbk::cli
