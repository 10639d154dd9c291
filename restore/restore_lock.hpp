// SPDX-License-Identifier: MIT
// One restore, finish or rollback at a time per server: a named lock (GET_LOCK) held by the
// journal connection. The server releases it when that connection ends, also when the
// process is killed, so a journal entry in `loading` whose lock is free was abandoned.
#pragma once

#include "core/db/connection.hpp"

namespace pbk::restore {

class RestoreLock {
public:
  // Throws core::Error(refused) when another postal-backup holds the lock on this server.
  explicit RestoreLock(core::db::Connection& connection);
  ~RestoreLock();
  RestoreLock(const RestoreLock&) = delete;
  RestoreLock& operator=(const RestoreLock&) = delete;

private:
  core::db::Connection& m_connection;
};

} // namespace pbk::restore
