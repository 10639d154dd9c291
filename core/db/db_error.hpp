// SPDX-License-Identifier: MIT
// A failure reported by the MariaDB client library or server. It keeps the server's error
// number and SQLSTATE so callers can tell a lost connection or a deadlock (worth retrying)
// from a missing table or a denied privilege (not). The exit-code class is always runtime.
#pragma once

#include "core/error.hpp"

#include <string>
#include <vector>

namespace pbk::core::db {

class DbError : public core::Error {
public:
  DbError(std::string message,
          unsigned mysql_errno,
          std::string sqlstate,
          std::vector<std::string> hints = {});

  [[nodiscard]] unsigned mysql_errno() const noexcept { return m_errno; }

  [[nodiscard]] std::string sqlstate() const { return m_sqlstate; }

  // Lock wait timeout (1205), deadlock (1213), server gone away (2006), lost connection (2013).
  [[nodiscard]] bool retryable() const noexcept;

private:
  unsigned m_errno;
  std::string m_sqlstate;
};

} // namespace pbk::core::db
