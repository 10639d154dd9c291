// SPDX-License-Identifier: MIT
// `doctor`'s judgement of a live server: the settings a restore of its backups will meet
// (the preflight's arithmetic, as findings instead of refusals, so every one is named in one
// run), binary logging (what lets a restore be followed by a replay of the hours since the
// backup), the privileges a restore needs, and the room in the data directory. Pure
// functions of the variables read, so each threshold is tested without a server.
#pragma once

#include "core/db/connection.hpp"
#include "core/finding.hpp"
#include "restore/preflight.hpp"
#include "restore/privileges.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

// log_bin and binlog_format. Off: a restore brings back only the last backup (each backup
// records its binary log position, from which mariadb-binlog replays what came after).
// STATEMENT: a restore cannot use bulk executions, and statements that are not deterministic
// (UUID(), as in a Postal migration) replay differently.
[[nodiscard]] std::vector<core::Finding> judge_binary_log(const ServerVariables& variables);

// innodb_default_row_format: Postal 3.x's migrations need DYNAMIC (utf8mb4 index prefixes
// longer than COMPACT allows); the restore refuses otherwise. `postal3`: nullopt when the
// install's release is not known.
[[nodiscard]] core::Finding judge_row_format(const ServerVariables& variables,
                                             std::optional<bool> postal3);

// max_allowed_packet and the InnoDB redo log against the largest message on the server
// (postal/largest_message.hpp), with the preflight's margins (server_needs).
[[nodiscard]] std::vector<core::Finding>
judge_row_limits(const ServerVariables& variables, std::optional<std::uint64_t> largest_message);

// Whether the server's data directory can be examined from here: a socket or a loopback
// address (as the restore's preflight decides).
[[nodiscard]] bool is_local_server(const core::db::ConnectionOptions& options);

// What `databases` take in the server's data directory (information_schema's data and index
// lengths, InnoDB's estimate): what a restore of them stages once more.
[[nodiscard]] std::uint64_t stored_bytes(core::db::Connection& server,
                                         const std::vector<std::string>& databases);

// The data directory against a second copy of `data_bytes` (what a restore stages beside the
// live databases). Examined only when `local`; else an info finding saying so.
[[nodiscard]] core::Finding
judge_datadir_space(const ServerVariables& variables, bool local, std::uint64_t data_bytes);

// What a restore of `databases` would lack (info: restores are often run as another user
// than backups), and RELOAD, which lets `create` read on several connections at one instant.
[[nodiscard]] std::vector<core::Finding>
judge_privileges(const Grants& grants, const std::vector<std::string>& databases);

} // namespace pbk::restore
