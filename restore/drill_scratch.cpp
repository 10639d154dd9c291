// SPDX-License-Identifier: MIT
#include "restore/drill_scratch.hpp"

#include "core/error.hpp"
#include "restore/journal.hpp"
#include "restore/swap.hpp"

#include <algorithm>
#include <set>

namespace pbk::restore {
namespace {

using core::db::Connection;

constexpr std::size_t k_id_digits = 8;

// The id is 8 hex digits (checked by drill_id_of or made by new_restore_id), so the name is
// plain text inside its quotes.
std::string lock_name(const std::string& id) {
  return "'postal-backup:drill:" + id + "'";
}

bool is_id(std::string_view text) {
  return text.size() == k_id_digits && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

} // namespace

std::string drill_id_of(const std::string& database) {
  const std::string_view prefix = k_drill_database_prefix;
  if (database.size() <= prefix.size() + k_id_digits + 1 || !database.starts_with(prefix)) {
    return {};
  }
  const auto id = std::string_view(database).substr(prefix.size(), k_id_digits);
  const char after = database[prefix.size() + k_id_digits];
  if (!is_id(id) || (after != '_' && after != '-')) {
    return {};
  }
  return std::string(id);
}

std::string drill_main_database(const std::string& id) {
  return k_drill_database_prefix + id + "_main";
}

std::string drill_message_db_prefix(const std::string& id) {
  return k_drill_database_prefix + id;
}

DrillScratch::DrillScratch(Connection& connection)
    : m_connection(connection),
      m_id(new_restore_id()) {
  const auto got = m_connection.query_value("SELECT GET_LOCK(" + lock_name(m_id) + ", 0)");
  if (got.value_or("0") != "1") {
    throw core::Error(core::ExitCode::runtime,
                      "could not take the server lock of drill " + m_id + " on "
                          + connection.options().describe(),
                      {"run the drill again"});
  }
}

DrillScratch::~DrillScratch() {
  try {
    drop();
  } catch (...) {
    // Reported by the caller's own drop(); the next drill drops what is left.
  }
  try {
    m_connection.execute("DO RELEASE_LOCK(" + lock_name(m_id) + ")");
  } catch (...) {
    // The server frees the lock with the connection anyway.
  }
}

void DrillScratch::drop() {
  while (!m_databases.empty()) {
    drop_database_if_exists(m_connection, m_databases.back());
    m_databases.pop_back();
  }
}

std::vector<std::string> DrillScratch::remove_abandoned() {
  std::set<std::string> owners_alive;
  std::set<std::string> owners_gone;
  std::vector<std::string> removed;
  const auto rows = m_connection
                        .query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                               "SCHEMA_NAME LIKE 'pbk\\_drill\\_%' ORDER BY SCHEMA_NAME")
                        .rows();
  for (const auto& row : rows) {
    const auto name = row.at(0).value_or("");
    const auto id = drill_id_of(name);
    if (id.empty() || id == m_id || owners_alive.contains(id)) {
      continue;
    }
    if (!owners_gone.contains(id)) {
      const auto user = m_connection.query_value("SELECT IS_USED_LOCK(" + lock_name(id) + ")");
      if (user) {
        owners_alive.insert(id);
        continue;
      }
      owners_gone.insert(id);
    }
    drop_database_if_exists(m_connection, name);
    removed.push_back(name);
  }
  return removed;
}

} // namespace pbk::restore
