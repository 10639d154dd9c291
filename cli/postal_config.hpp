// SPDX-License-Identifier: MIT
// Reads the database connection out of Postal's own postal.yml (`--config`), in both formats:
// the 1.x/2.x legacy file (plus postal.local.yml beside it) and 3.x `version: 2` with its
// MAIN_DB_* / MESSAGE_DB_* environment overrides. Only the keys that locate the databases are
// read; everything else in the file is ignored, but an unknown key inside main_db or message_db
// is named in a warning (`user:` for `username:` would otherwise connect as the default user).
// Errors never contain a password.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pbk::cli {

struct DbEndpoint {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string username = "postal";
  std::string password;
  bool host_given = false; // false: `host` is the format's default, not the operator's
};

struct PostalConfig {
  DbEndpoint main_db;
  std::string main_database = "postal";
  DbEndpoint message_db;
  std::string message_db_prefix = "postal"; // message databases are <prefix>-server-<id>
  int format_version = 1;                   // 1: legacy 1.x/2.x file, 2: 3.x `version: 2`
  // Keys of main_db/message_db this format does not read (a typo, or the other format's name),
  // one sentence each naming the file and the key.
  std::vector<std::string> warnings;
};

// `env` is the process environment (only the MAIN_DB_* / MESSAGE_DB_* names are consulted).
// Throws core::Error(ExitCode::usage) naming the file and key for a missing or unreadable
// file, invalid YAML, a value of the wrong type, or an unsupported `version`.
[[nodiscard]] PostalConfig load_postal_config(const std::filesystem::path& path,
                                              const std::map<std::string, std::string>& env);

} // namespace pbk::cli
