// SPDX-License-Identifier: MIT
// Process- and thread-level setup of the MariaDB client library. mysql_init() would initialise
// the library lazily, but not thread-safely, so main() holds one Library before any worker
// starts, and every thread that uses a Connection holds a ThreadGuard for its lifetime.
#pragma once

namespace pbk::core::db {

class Library {
public:
  Library(); // throws core::Error when the client library cannot initialise
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

class ThreadGuard {
public:
  ThreadGuard(); // throws core::Error
  ~ThreadGuard();
  ThreadGuard(const ThreadGuard&) = delete;
  ThreadGuard& operator=(const ThreadGuard&) = delete;
};

} // namespace pbk::core::db
