// SPDX-License-Identifier: MIT
#include "restore/restore_lock.hpp"

#include "core/error.hpp"

namespace pbk::restore {
namespace {

constexpr const char* k_lock_name = "'postal-backup:restore'";

} // namespace

RestoreLock::RestoreLock(core::db::Connection& connection)
    : m_connection(connection) {
  const auto got = m_connection.query_value(std::string("SELECT GET_LOCK(") + k_lock_name + ", 0)");
  if (got.value_or("0") != "1") {
    throw core::Error(
        core::ExitCode::refused,
        "another postal-backup restore, finish or rollback is running on "
            + connection.options().describe(),
        {"wait for it to end; `postal-backup status` shows the restore it is working on"});
  }
}

RestoreLock::~RestoreLock() {
  try {
    m_connection.execute(std::string("DO RELEASE_LOCK(") + k_lock_name + ")");
  } catch (...) {
    // The server drops the lock with the connection anyway.
  }
}

} // namespace pbk::restore
