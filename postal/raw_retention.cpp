// SPDX-License-Identifier: MIT
#include "postal/raw_retention.hpp"

#include "postal/raw_tables.hpp"

#include "core/error.hpp"

namespace pbk::postal {
namespace {

using core::db::Connection;

bool has_table(Connection& connection, const std::string& database, const std::string& table) {
  return connection
      .query_value("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   + connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table)
                   + " AND TABLE_TYPE = 'BASE TABLE'")
      .has_value();
}

// ('raw-2024-01-01', 'raw-2024-01-02'): only names that are raw tables become literals.
std::string raw_table_list(Connection& connection, const std::vector<std::string>& tables) {
  std::string list;
  for (const auto& table : tables) {
    if (!raw_table_date(table)) {
      throw core::Error(core::ExitCode::runtime,
                        "'" + table + "' is not a raw-YYYY-MM-DD table; nothing was left out",
                        {"the archive names a table Postal would not make"});
    }
    list += (list.empty() ? "(" : ", ") + connection.quote(table);
  }
  return list + ")";
}

} // namespace

void forget_raw_tables(Connection& connection,
                       const std::string& database,
                       const std::vector<std::string>& tables) {
  if (tables.empty()) {
    return;
  }
  const auto list = raw_table_list(connection, tables);
  if (has_table(connection, database, "messages")) {
    connection.execute("UPDATE " + Connection::qualified_name(database, "messages")
                       + " SET raw_table = NULL, raw_headers_id = NULL, raw_body_id = NULL, "
                         "size = NULL WHERE raw_table IN "
                       + list);
  }
  if (has_table(connection, database, "raw_message_sizes")) {
    connection.execute("DELETE FROM " + Connection::qualified_name(database, "raw_message_sizes")
                       + " WHERE table_name IN " + list);
  }
}

} // namespace pbk::postal
