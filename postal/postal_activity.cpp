// SPDX-License-Identifier: MIT
#include "postal/postal_activity.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <thread>
#include <tuple>

namespace pbk::postal {
namespace {

using core::db::Connection;

// Rows these hold are written by `postal initialize` itself, not by anyone using Postal.
constexpr std::array<const char*, 3> k_bookkeeping_tables = {
    "schema_migrations", "ar_internal_metadata", "migrations"};

// PROCESSLIST shows TCP clients as "host:port" (IPv6 too: "::1:port") and socket clients as
// "localhost"; the port changes with every connection, so it is dropped.
std::string host_without_port(const std::string& host) {
  const auto colon = host.rfind(':');
  if (colon == std::string::npos || colon + 1 == host.size()
      || !std::all_of(host.begin() + static_cast<std::ptrdiff_t>(colon) + 1,
                      host.end(),
                      [](char c) { return c >= '0' && c <= '9'; })) {
    return host;
  }
  return host.substr(0, colon);
}

std::string in_list(Connection& connection, const std::vector<std::string>& values) {
  std::string list;
  for (const auto& value : values) {
    list += (list.empty() ? "" : ", ") + connection.quote(value);
  }
  return list;
}

bool is_bookkeeping(const std::string& table) {
  return std::any_of(k_bookkeeping_tables.begin(),
                     k_bookkeeping_tables.end(),
                     [&](const char* name) { return table == name; });
}

} // namespace

std::vector<Occupant> connections_using(Connection& connection,
                                        const std::vector<std::string>& databases) {
  if (databases.empty()) {
    return {};
  }
  const auto rows = connection
                        .query("SELECT DB, USER, HOST FROM information_schema.PROCESSLIST"
                               " WHERE ID <> CONNECTION_ID() AND DB IN ("
                               + in_list(connection, databases) + ")")
                        .rows();
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> counts;
  for (const auto& row : rows) {
    const std::string host = host_without_port(row.at(2).value_or(""));
    ++counts[{row.at(0).value_or(""), row.at(1).value_or(""), host}];
  }
  std::vector<Occupant> occupants;
  for (const auto& [key, count] : counts) {
    occupants.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }
  return occupants;
}

void refuse_if_postal_connected(Connection& connection, const std::vector<std::string>& databases) {
  // A client that just disconnected stays in the process list for a moment while the server
  // cleans up; only connections that are still there after a short wait count.
  auto occupants = connections_using(connection, databases);
  for (int retry = 0; retry < 6 && !occupants.empty(); ++retry) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    occupants = connections_using(connection, databases);
  }
  if (occupants.empty()) {
    return;
  }
  const auto& first = occupants.front();
  throw core::Error(core::ExitCode::refused,
                    "Postal is still connected to " + first.database + " ("
                        + std::to_string(first.connections) + " connection(s) from " + first.host
                        + " as " + first.user + ")",
                    {"stop Postal first (`postal stop`, or `docker compose stop` / `systemctl "
                     "stop postal`), or pass --force"});
}

std::vector<std::string> tables_holding_data(Connection& connection, const std::string& database) {
  const auto rows = connection
                        .query("SELECT TABLE_NAME FROM information_schema.TABLES"
                               " WHERE TABLE_SCHEMA = "
                               + connection.quote(database)
                               + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
                        .rows();
  std::vector<std::string> holding;
  for (const auto& row : rows) {
    const std::string table = row.at(0).value_or("");
    if (table.empty() || is_bookkeeping(table)) {
      continue;
    }
    // LIMIT 1 stops at the first row, where COUNT(*) would scan a large InnoDB table.
    const auto any =
        connection.query_value("SELECT 1 FROM " + Connection::quote_identifier(database) + "."
                               + Connection::quote_identifier(table) + " LIMIT 1");
    if (any) {
      holding.push_back(table);
    }
  }
  return holding;
}

void refuse_if_holding_data(Connection& connection, const std::vector<std::string>& databases) {
  for (const auto& database : databases) {
    const auto tables = tables_holding_data(connection, database);
    if (tables.empty()) {
      continue;
    }
    const std::string count =
        std::to_string(tables.size()) + (tables.size() == 1 ? " table" : " tables") + " with rows";
    throw core::Error(core::ExitCode::refused,
                      "the target database " + database + " already holds data (" + count
                          + ", e.g. " + tables.front() + ")",
                      {"restore into empty databases, or pass --force to replace them (the "
                       "replaced data is kept: `postal-backup rollback` puts it back until "
                       "`postal-backup finish`, which keeps it too)"});
  }
}

} // namespace pbk::postal
