// SPDX-License-Identifier: MIT
// Where and how to connect to one MariaDB/MySQL server. Empty strings and a missing password
// mean "not given": the --defaults-file (when set) or the client library's defaults decide;
// with no password Connector/C also honours MYSQL_PWD. `role`
// names the connection in messages ("main_db", "message_db"), so a person can tell which of
// Postal's two database blocks failed.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pbk::core::db {

struct ConnectionOptions {
  std::string host;
  unsigned port = 0;
  std::string socket;
  std::string user;
  std::optional<std::string> password;
  std::string defaults_file;      // a my.cnf read for its [client] group; no option files otherwise
  std::string charset = "binary"; // "binary": the server sends bytes exactly as stored
  unsigned connect_timeout = 10;  // seconds
  bool local_infile = false;      // allow LOAD DATA LOCAL INFILE on this connection
  std::string role = "database";
  // Said after the generic hint when the server cannot be reached: where these settings came
  // from, when that explains the failure (a default the operator never wrote).
  std::vector<std::string> unreachable_hints;

  // "root@127.0.0.1:3306", "root@/run/mysqld/mysqld.sock" or "root@localhost".
  [[nodiscard]] std::string describe() const;

  // Whether both reach the same server as the same user (one connection can serve both).
  [[nodiscard]] bool same_server_as(const ConnectionOptions& other) const;
};

} // namespace pbk::core::db
