// SPDX-License-Identifier: MIT
#include "core/db/last_error.hpp"

#include <mysql.h>

namespace pbk::core::db {

DbError last_error(st_mysql* mysql, std::string_view what, std::vector<std::string> hints) {
  const unsigned code = ::mysql_errno(mysql);
  std::string message(what);
  message += ": ";
  message += ::mysql_error(mysql);
  message += " (" + std::to_string(code) + ")";
  return DbError(std::move(message), code, ::mysql_sqlstate(mysql), std::move(hints));
}

} // namespace pbk::core::db
