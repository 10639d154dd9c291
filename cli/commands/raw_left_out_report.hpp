// SPDX-License-Identifier: MIT
// The raw tables a selective restore leaves out and the bytes that saves, as `restore` and its
// dry run (`restore --dry-run`, `plan` with a target server) show them.
#pragma once

#include "restore/raw_selection.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

namespace pbk::cli {

// {"tables": [{database, table, rows, bytes_stored, bytes_raw}], "bytes_stored", "bytes_raw"};
// sizes are null when no manifest was read yet (a dry run from standard input).
[[nodiscard]] nlohmann::ordered_json
raw_left_out_json(const std::vector<restore::LeftOutTable>& tables);

// Nothing when no table is left out; else a line with the totals and one per database.
void print_raw_left_out(const std::vector<restore::LeftOutTable>& tables,
                        const char* title,
                        std::ostream& out);

} // namespace pbk::cli
