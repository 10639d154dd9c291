// SPDX-License-Identifier: MIT
// A finding of `doctor`: what a check saw on a live install or its backups, how bad it is,
// and what to change. The thrown core::Error stops a command; a Finding is collected, so
// one run can name every setting that will bite, each with its fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbk::core {

// info: could not be checked, or worth knowing; it changes no exit code. warning: risky or
// slow, or a safety net missing. failure: a backup or restore will fail as things stand.
enum class Severity { ok, info, warning, failure };

[[nodiscard]] const char* to_string(Severity severity);

struct Finding {
  Severity severity = Severity::ok;
  std::string id;      // short and stable: binlog_format, max_allowed_packet, newest_backup
  std::string setting; // what was looked at
  std::string value;   // its current value, as found
  std::string message; // what it means, one line
  std::string fix;     // what to change (a my.cnf line, a GRANT, a command); empty when ok
  std::string docker;  // the same change for a server in Docker; empty when not a setting
};

// The worst severity among `findings` (ok for none).
[[nodiscard]] Severity worst(const std::vector<Finding>& findings);

// A server variable to set, as [mysqld] in my.cnf and as the option of the mariadb image
// (`docker run … mariadb --name=value`, compose `command:`); the fix and docker fields.
struct SettingFix {
  std::string fix;
  std::string docker;
};

[[nodiscard]] SettingFix server_setting_fix(const std::string& name, const std::string& value);

// Free space where the next backup or restore writes, against what it will write there.
struct SpaceNeed {
  std::string id;                    // datadir_free_space, backup_dir_free_space
  std::string path;                  // the directory
  std::optional<std::uint64_t> free; // bytes; absent: could not be examined
  std::string unknown;               // why it could not (an info finding then)
  std::uint64_t needed = 0;          // bytes the next run writes there; 0: nothing known
  std::string needed_for;            // "the last backup's size", "a second copy of the data"
  std::string fix;                   // how to make room
};

// failure below `needed`, warning below twice `needed` (the run after next, indexes, logs).
[[nodiscard]] Finding free_space_finding(const SpaceNeed& need);

} // namespace pbk::core
