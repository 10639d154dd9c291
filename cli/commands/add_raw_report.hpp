// SPDX-License-Identifier: MIT
// What `restore --add-raw` brought back (or, with --dry-run, would bring back), in words or JSON.
#pragma once

#include "cli/commands/commands.hpp"
#include "core/reporter.hpp"
#include "restore/add_raw_job.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace pbk::cli {

// {"restore_id", "dry_run", "added": [{database, table, rows, bytes_stored, bytes_raw}],
//  "bytes_stored", "bytes_raw", "already_live": [{database, table}], "messages_relinked",
//  "messages_skipped", "raw_message_sizes_inserted", "warnings"}
[[nodiscard]] nlohmann::ordered_json add_raw_json(const restore::AddRawOutcome& outcome);

void print_add_raw(const restore::AddRawOutcome& outcome, std::ostream& out);

// `restore --add-raw` and `plan --add-raw`: the metrics (bytes brought back), the warnings,
// then the report in the output mode.
void present_add_raw(const restore::AddRawOutcome& outcome,
                     core::Reporter& reporter,
                     CommandContext& context);

} // namespace pbk::cli
