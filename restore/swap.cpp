// SPDX-License-Identifier: MIT
#include "restore/swap.hpp"

#include "core/db/db_error.hpp"
#include "core/error.hpp"

namespace pbk::restore {
namespace {

using core::db::Connection;

std::string marker(const std::string& restore_id, bool done) {
  return Connection::qualified_name(k_journal_database,
                                    "swap_" + restore_id + (done ? "_done" : "_pending"));
}

// Appends "from.t TO to.t" for every base table of `from`.
void move_all(Connection& connection,
              const std::string& from,
              const std::string& to,
              std::vector<std::string>& renames) {
  for (const auto& table : base_tables(connection, from)) {
    renames.push_back(Connection::qualified_name(from, table) + " TO "
                      + Connection::qualified_name(to, table));
  }
}

} // namespace

std::vector<std::string> base_tables(Connection& connection, const std::string& database) {
  std::vector<std::string> tables;
  for (const auto& row : connection
                             .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                    "TABLE_SCHEMA = "
                                    + connection.quote(database)
                                    + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
                             .rows()) {
    tables.push_back(row.at(0).value_or(""));
  }
  return tables;
}

bool database_exists(Connection& connection, const std::string& database) {
  return connection
             .query_value("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = "
                          + connection.quote(database))
             .value_or("0")
         != "0";
}

void create_swap_marker(Connection& connection, const std::string& restore_id) {
  connection.execute("CREATE TABLE IF NOT EXISTS " + marker(restore_id, false)
                     + " (`restore_id` varchar(16) NOT NULL) ENGINE=InnoDB");
}

bool swap_happened(Connection& connection, const std::string& restore_id) {
  return connection
             .query_value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                          + connection.quote(k_journal_database)
                          + " AND TABLE_NAME = " + connection.quote("swap_" + restore_id + "_done"))
             .value_or("0")
         != "0";
}

void drop_swap_marker(Connection& connection, const std::string& restore_id) {
  connection.execute("DROP TABLE IF EXISTS " + marker(restore_id, false) + ", "
                     + marker(restore_id, true));
}

void swap_in(Connection& connection,
             const std::string& restore_id,
             const std::vector<JournalDatabase>& databases,
             unsigned lock_wait_seconds) {
  std::vector<std::string> renames;
  for (const auto& d : databases) {
    move_all(connection, d.live, d.previous, renames);
  }
  for (const auto& d : databases) {
    move_all(connection, d.staging, d.live, renames);
  }
  renames.push_back(marker(restore_id, false) + " TO " + marker(restore_id, true));
  rename_at_once(connection, renames, lock_wait_seconds);
}

void swap_back(Connection& connection,
               const std::string& restore_id,
               const std::vector<JournalDatabase>& databases,
               unsigned lock_wait_seconds) {
  std::vector<std::string> renames;
  for (const auto& d : databases) {
    move_all(connection, d.live, d.staging, renames);
  }
  for (const auto& d : databases) {
    move_all(connection, d.previous, d.live, renames);
  }
  renames.push_back(marker(restore_id, true) + " TO " + marker(restore_id, false));
  rename_at_once(connection, renames, lock_wait_seconds);
}

void rename_at_once(Connection& connection,
                    const std::vector<std::string>& renames,
                    unsigned lock_wait_seconds) {
  std::string sql = "RENAME TABLE ";
  for (std::size_t i = 0; i < renames.size(); ++i) {
    sql += (i == 0 ? "" : ", ") + renames[i];
  }
  connection.execute("SET SESSION lock_wait_timeout = " + std::to_string(lock_wait_seconds));
  try {
    connection.execute(sql);
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() == core::db::k_lock_wait_timeout) {
      throw core::Error(core::ExitCode::refused,
                        "the swap waited " + std::to_string(lock_wait_seconds)
                            + " s for tables in use and was not done; nothing was renamed",
                        {"stop Postal (and anything else using its databases) and run the "
                         "command again"});
    }
    throw;
  }
}

void drop_database_if_exists(Connection& connection, const std::string& database) {
  connection.execute("DROP DATABASE IF EXISTS " + Connection::quote_identifier(database));
}

} // namespace pbk::restore
