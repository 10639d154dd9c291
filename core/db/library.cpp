// SPDX-License-Identifier: MIT
#include "core/db/library.hpp"

#include "core/error.hpp"

#include <mysql.h>

namespace pbk::core::db {

Library::Library() {
  if (mysql_library_init(0, nullptr, nullptr) != 0) {
    throw Error(ExitCode::runtime, "cannot initialise the MariaDB client library");
  }
}

Library::~Library() {
  mysql_library_end();
}

ThreadGuard::ThreadGuard() {
  if (mysql_thread_init() != 0) {
    throw Error(ExitCode::runtime, "cannot initialise the MariaDB client library for a thread");
  }
}

ThreadGuard::~ThreadGuard() {
  mysql_thread_end();
}

} // namespace pbk::core::db
