// SPDX-License-Identifier: MIT
#include "backup/snapshot.hpp"

#include "core/db/db_error.hpp"

#include <algorithm>

namespace pbk::backup {

Snapshot::Snapshot(core::db::Connection& connection)
    : m_connection(connection) {
  m_info.endpoint = connection.options().describe();
  m_info.server_version = connection.server_version();
}

Snapshot::~Snapshot() {
  if (m_open) {
    try {
      m_connection.execute("ROLLBACK");
    } catch (...) {
      // Deliberately ignored: the connection is closing anyway and the snapshot only read.
    }
  }
}

void prepare_dump_session(core::db::Connection& connection) {
  // TIMESTAMP values are written in UTC so a load in any time zone puts back the same instant.
  connection.execute("SET SESSION net_write_timeout = 3600, net_read_timeout = 3600, "
                     "wait_timeout = 86400, time_zone = '+00:00'");
}

void Snapshot::try_disable_binlog_for_session() {
  // With binary logging on, MariaDB keeps the metadata locks of a savepoint's reads unless
  // the session does not log (sql_log_bin = 0). That needs a privilege a backup user often
  // lacks; without it the long transaction still holds only the small tables and today's
  // raw table, because past raw tables are read outside it.
  try {
    m_connection.execute("SET SESSION sql_log_bin = 0");
    m_info.sql_log_bin_disabled = true;
  } catch (const core::db::DbError&) {
    m_info.sql_log_bin_disabled = false;
  }
}

void Snapshot::record_binlog_position() {
  const auto log_bin = m_connection.query_value("SELECT @@GLOBAL.log_bin");
  m_info.log_bin = log_bin && *log_bin == "1";
  if (!m_info.log_bin || !m_connection.is_mariadb()) {
    return;
  }
  // binlog_snapshot_* give the binary log position matching this consistent snapshot.
  auto result = m_connection.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
  for (const auto& row : result.rows()) {
    if (row.size() < 2 || !row[0] || !row[1]) {
      continue;
    }
    if (*row[0] == "Binlog_snapshot_file") {
      m_info.binlog_file = *row[1];
    } else if (*row[0] == "Binlog_snapshot_position") {
      m_info.binlog_position = std::stoull(*row[1]);
    }
  }
  if (m_info.binlog_file && m_info.binlog_position) {
    m_info.gtid_position =
        m_connection.query_value("SELECT BINLOG_GTID_POS(" + m_connection.quote(*m_info.binlog_file)
                                 + ", " + std::to_string(*m_info.binlog_position) + ")");
  }
}

void Snapshot::begin() {
  try_disable_binlog_for_session();
  m_connection.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  m_connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  m_open = true;
  record_binlog_position();
}

void Snapshot::abandon() {
  if (m_open) {
    m_connection.execute("ROLLBACK");
    m_open = false;
  }
}

void Snapshot::commit() {
  m_connection.execute("COMMIT");
  m_open = false;
}

std::vector<std::string> Snapshot::list_tables(const std::string& database) {
  // SHOW FULL TABLES reads the data dictionary without opening (and locking) each table.
  auto result =
      m_connection.query("SHOW FULL TABLES FROM " + core::db::Connection::quote_identifier(database)
                         + " WHERE Table_type = 'BASE TABLE'");
  std::vector<std::string> tables;
  for (const auto& row : result.rows()) {
    if (!row.empty() && row[0]) {
      tables.push_back(*row[0]);
    }
  }
  // A stable order makes archives of the same data comparable member by member.
  std::sort(tables.begin(), tables.end());
  return tables;
}

void Snapshot::with_released_locks(const std::function<void()>& read) {
  m_connection.execute("SAVEPOINT pbk_table");
  read();
  m_connection.execute("ROLLBACK TO SAVEPOINT pbk_table");
}

} // namespace pbk::backup
