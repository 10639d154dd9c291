// SPDX-License-Identifier: MIT
// Starts the snapshots of several connections to one server at one instant, so tables read
// side by side on different connections still describe one moment. Commits are held back
// (BACKUP STAGE BLOCK_COMMIT, MariaDB 10.4 and later, RELOAD privilege) only while the
// snapshots start, a few milliseconds; running queries and Postal's DDL are not blocked
// longer than k_stage_wait_seconds even when something holds the server's backup lock.
#pragma once

#include "backup/snapshot.hpp"
#include "core/db/connection_options.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::backup {

inline constexpr unsigned k_stage_wait_seconds = 5;

// Begins every snapshot at one instant through a short-lived connection made with
// `options`. Returns nullopt when they all began; otherwise why they could not (no RELOAD
// privilege, a server without BACKUP STAGE, a lock not granted in time), with no snapshot
// begun and nothing held on the server.
[[nodiscard]] std::optional<std::string>
begin_at_one_instant(const core::db::ConnectionOptions& options,
                     const std::vector<Snapshot*>& snapshots);

} // namespace pbk::backup
