// SPDX-License-Identifier: MIT
// One live database judged the way `schema check` judges it: its recorded migrations, and its
// structure (canonical text from information_schema) against the expected schema of the level
// those migrations record. Shared by `schema check` and the restore gate, so `finish` passes
// exactly when `schema check` would call the restored install healthy.
#pragma once

#include "archive/manifest.hpp"
#include "postal/schema_check.hpp"

#include "core/db/connection.hpp"

#include <string>
#include <vector>

namespace pbk::postal {

struct LiveCheck {
  postal::DatabaseCheck check;       // pending is left to the caller (needs a release)
  std::vector<std::string> recorded; // applied migrations, ascending
};

[[nodiscard]] LiveCheck check_live_database(core::db::Connection& connection,
                                            const std::string& database,
                                            archive::DatabaseRole role,
                                            const postal::SchemaHistory& main_history,
                                            const postal::SchemaHistory& message_history);

} // namespace pbk::postal
