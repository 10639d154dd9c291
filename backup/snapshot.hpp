// SPDX-License-Identifier: MIT
// One consistent snapshot on one server connection. Every database read through it is seen
// as of the same instant, so a writer committing to the main and a message database in one
// transaction appears wholly or not at all. No global lock is taken: InnoDB's consistent
// read gives the instant, and each table's metadata lock is released after it is read
// (SAVEPOINT / ROLLBACK TO SAVEPOINT) where the server allows it.
#pragma once

#include "archive/manifest.hpp"

#include "core/db/connection.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pbk::backup {

class Snapshot {
public:
  explicit Snapshot(core::db::Connection& connection);
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot(); // rolls back an open transaction

  void begin();
  void commit();
  // Rolls back a begun snapshot (nothing was read yet); safe to call when none is open.
  void abandon();

  [[nodiscard]] bool is_open() const { return m_open; }

  [[nodiscard]] const archive::ServerInfo& server_info() const { return m_info; }

  [[nodiscard]] core::db::Connection& connection() { return m_connection; }

  // Base tables of `database` as the snapshot sees them (views are not data).
  [[nodiscard]] std::vector<std::string> list_tables(const std::string& database);
  // Runs `read` so that the metadata locks it takes end with it, not with the transaction.
  void with_released_locks(const std::function<void()>& read);

private:
  void try_disable_binlog_for_session();
  void record_binlog_position();

  core::db::Connection& m_connection;
  archive::ServerInfo m_info;
  bool m_open = false;
};

// Session settings for a long dump: the server must not give up on a client that is slow
// to read because it compresses or writes to a slow pipe.
void prepare_dump_session(core::db::Connection& connection);

} // namespace pbk::backup
