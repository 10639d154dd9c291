// SPDX-License-Identifier: MIT
// Which databases make up a Postal install: the main database and one `<prefix>-server-<id>`
// per mail server, possibly on two different servers. Also reads each one's applied
// migrations, the facts a restore later needs to decide what the target release lacks.
#pragma once

#include "archive/manifest.hpp"

#include "core/db/connection.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::postal {

struct DatabaseSelection {
  std::string main_db = "postal";
  std::string message_db_prefix = "postal";
  std::vector<std::string> only; // --databases; empty means all
};

struct PostalDatabase {
  std::string name;
  archive::DatabaseRole role = archive::DatabaseRole::main;
  std::optional<int> server_id;
  std::size_t connection_index = 0; // 0: main_db connection, 1: message_db connection
};

// `message` may be the same connection as `main`; `message_index` says which it is.
[[nodiscard]] std::vector<PostalDatabase> find_postal_databases(core::db::Connection& main,
                                                                core::db::Connection& message,
                                                                std::size_t message_index,
                                                                const DatabaseSelection& selection);

// Parses `<prefix>-server-<id>`; nullopt for any other name.
[[nodiscard]] std::optional<int> message_db_server_id(const std::string& name,
                                                      const std::string& prefix);

// Applied main migrations (schema_migrations), ascending.
[[nodiscard]] std::vector<std::string> read_main_migrations(core::db::Connection& connection,
                                                            const std::string& database);
// Applied message-DB migration numbers (migrations table), ascending, as text.
[[nodiscard]] std::vector<std::string> read_message_migrations(core::db::Connection& connection,
                                                               const std::string& database);

} // namespace pbk::postal
