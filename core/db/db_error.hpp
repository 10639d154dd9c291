// SPDX-License-Identifier: MIT
// A failure reported by the MariaDB client library or server. It keeps the server's error
// number and SQLSTATE so callers can tell a lost connection or a deadlock (worth retrying)
// from a missing table or a denied privilege (not). The exit-code class is always runtime.
#pragma once

#include "core/error.hpp"

#include <string>
#include <vector>

namespace pbk::core::db {

// The error numbers callers act on (server: ER_…, client library: CR_…).
inline constexpr unsigned k_lock_wait_timeout = 1205; // ER_LOCK_WAIT_TIMEOUT
inline constexpr unsigned k_deadlock = 1213;          // ER_LOCK_DEADLOCK
inline constexpr unsigned k_server_gone = 2006;       // CR_SERVER_GONE_ERROR
inline constexpr unsigned k_server_lost = 2013;       // CR_SERVER_LOST

class DbError : public core::Error {
public:
  DbError(std::string message,
          unsigned mysql_errno,
          std::string sqlstate,
          std::vector<std::string> hints = {});

  [[nodiscard]] unsigned mysql_errno() const noexcept { return m_errno; }

  [[nodiscard]] std::string sqlstate() const { return m_sqlstate; }

  // A lock conflict or a lost connection.
  [[nodiscard]] bool retryable() const noexcept;

  // The statement lost a lock conflict: a deadlock (InnoDB rolled the transaction back) or a
  // lock wait timeout (InnoDB rolled back the statement only, unless
  // innodb_rollback_on_timeout is ON). Either way the connection is fine, and once the caller
  // has rolled its transaction back the same work can run again.
  [[nodiscard]] bool is_deadlock_or_lock_wait() const noexcept;

private:
  unsigned m_errno;
  std::string m_sqlstate;
};

} // namespace pbk::core::db
