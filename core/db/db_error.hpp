// SPDX-License-Identifier: MIT
// A failure reported by the MariaDB client library or server. It keeps the server's error
// number and SQLSTATE so callers can tell a lost connection or a deadlock (worth retrying)
// from a missing table or a denied privilege (not). The exit-code class is always runtime.
#pragma once

#include "core/error.hpp"

#include <string>
#include <vector>

namespace pbk::core::db {

// The error numbers callers act on (server: ER_…, client library: CR_…), named once here.
inline constexpr unsigned k_db_access_denied = 1044;          // ER_DBACCESS_DENIED_ERROR
inline constexpr unsigned k_access_denied = 1045;             // ER_ACCESS_DENIED_ERROR
inline constexpr unsigned k_no_such_database = 1049;          // ER_BAD_DB_ERROR
inline constexpr unsigned k_unknown_column = 1054;            // ER_BAD_FIELD_ERROR
inline constexpr unsigned k_syntax_error = 1064;              // ER_PARSE_ERROR
inline constexpr unsigned k_table_access_denied = 1142;       // ER_TABLEACCESS_DENIED_ERROR
inline constexpr unsigned k_column_access_denied = 1143;      // ER_COLUMNACCESS_DENIED_ERROR
inline constexpr unsigned k_no_such_table = 1146;             // ER_NO_SUCH_TABLE
inline constexpr unsigned k_lock_wait_timeout = 1205;         // ER_LOCK_WAIT_TIMEOUT
inline constexpr unsigned k_deadlock = 1213;                  // ER_LOCK_DEADLOCK
inline constexpr unsigned k_missing_privilege = 1227;         // ER_SPECIFIC_ACCESS_DENIED_ERROR
inline constexpr unsigned k_table_def_changed = 1412;         // ER_TABLE_DEF_CHANGED
inline constexpr unsigned k_access_denied_no_password = 1698; // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
inline constexpr unsigned k_server_gone = 2006;               // CR_SERVER_GONE_ERROR
inline constexpr unsigned k_server_lost = 2013;               // CR_SERVER_LOST

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
