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
  return is_deadlock_or_lock_wait() || m_errno == k_server_gone || m_errno == k_server_lost;
}

bool DbError::is_deadlock_or_lock_wait() const noexcept {
  return m_errno == k_deadlock || m_errno == k_lock_wait_timeout;
}

} // namespace pbk::core::db
