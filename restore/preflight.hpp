// SPDX-License-Identifier: MIT
// Checks of the target server before a restore writes anything: what would make the restore
// fail half-way (a row larger than the server accepts, a redo log too small for it, a full
// disk) or leave Postal broken afterwards (a server Postal does not support, COMPACT tables for
// Postal 3) is refused with exit 5 and the exact setting to change; what is only risky or slow
// is a warning.
#pragma once

#include "core/db/connection.hpp"
#include "core/size_text.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::restore {

struct PreflightInput {
  std::uint64_t largest_row = 0;      // bytes; 0 = unknown (archive read from a pipe)
  std::uint64_t raw_bytes = 0;        // uncompressed row data; 0 = unknown
  bool postal3_target = false;        // the target release is Postal 3.x
  bool connected_locally = false;     // the server's data directory is on this machine
  std::vector<std::string> databases; // the live databases the restore writes
};

struct PreflightReport {
  std::vector<std::string> warnings; // one line each
  std::string server_version;        // as the server reports it
};

// What the target server must offer for an archive whose largest row and row data are these
// (the manifest records both): the same arithmetic the preflight refuses by.
struct ServerNeeds {
  std::uint64_t max_allowed_packet = 0;   // bytes: the largest row plus room for its statement
  std::string max_allowed_packet_setting; // as a config value, e.g. "32M"
  std::uint64_t redo_log = 0;             // bytes: InnoDB's redo log (ten times the row)
  std::string redo_log_setting;
  std::uint64_t free_space = 0; // bytes in the data directory: the row data once more
};

[[nodiscard]] ServerNeeds server_needs(std::uint64_t largest_row, std::uint64_t raw_bytes);

// The GLOBAL values of the server variables the preflight and `doctor` judge, by name; a
// variable this server does not have is absent.
using ServerVariables = std::map<std::string, std::string>;
[[nodiscard]] ServerVariables read_server_variables(core::db::Connection& target);
// A variable's value as a number; nullopt when absent or not a number.
[[nodiscard]] std::optional<std::uint64_t> numeric_variable(const ServerVariables& variables,
                                                            const std::string& name);
// The smallest power of two of MiB that holds `bytes`, as a config value ("32M").
[[nodiscard]] std::string setting_mib(std::uint64_t bytes);

// Throws core::Error(ExitCode::refused) naming the setting, its value and what the backup needs,
// or the privileges the connected user lacks (restore/privileges.hpp).
[[nodiscard]] PreflightReport preflight(core::db::Connection& target, const PreflightInput& input);

// Refused (exit 5) unless `version` (Connection::server_version()) is MariaDB 10.3 or later or
// MySQL 5.7 or later, Postal's requirements.
void check_server_version(std::string_view version, bool mariadb);

using core::size_text;

} // namespace pbk::restore
