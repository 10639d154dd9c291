// SPDX-License-Identifier: MIT
#include "core/db/db_error.hpp"

namespace pbk::core::db {

DbError::DbError(std::string message,
                 unsigned mysql_errno,
                 std::string sqlstate,
                 std::vector<std::string> hints)
    : core::Error(ExitCode::runtime, std::move(message), std::move(hints)),
      m_errno(mysql_errno),
      m_sqlstate(std::move(sqlstate)) {}

bool DbError::retryable() const noexcept {
  switch (m_errno) {
  case 1205: // ER_LOCK_WAIT_TIMEOUT
  case 1213: // ER_LOCK_DEADLOCK
  case 2006: // CR_SERVER_GONE_ERROR
  case 2013: // CR_SERVER_LOST
    return true;
  default:
    return false;
  }
}

} // namespace pbk::core::db
