// SPDX-License-Identifier: MIT
// Internal to core/db: turns the client library's last error on a connection into a DbError
// whose message reads "<what>: <server or client message> (<errno>)".
#pragma once

#include "core/db/db_error.hpp"

#include <string_view>

struct st_mysql;

namespace pbk::core::db {

[[nodiscard]] DbError
last_error(st_mysql* mysql, std::string_view what, std::vector<std::string> hints = {});

} // namespace pbk::core::db
