// SPDX-License-Identifier: MIT
#include "tests/support/restore_target.hpp"

#include <unistd.h>

#include <atomic>

namespace pbk::test {
namespace {

std::string unique_name() {
  static std::atomic<int> counter{0};
  return "pbk" + std::to_string(::getpid() % 100000) + "_t" + std::to_string(++counter);
}

std::string like_escaped(const std::string& name) {
  std::string escaped;
  for (const char c : name) {
    if (c == '_' || c == '%' || c == '\\') {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

} // namespace

RestoreTarget::RestoreTarget(const TestServer& server,
                             std::optional<std::string> initialized_level,
                             const std::string& create_options)
    : m_server(server),
      m_name(unique_name()) {
  if (initialized_level) {
    auto connection = core::db::Connection::connect(server.root_options());
    connection.execute("CREATE DATABASE " + core::db::Connection::quote_identifier(m_name) + " "
                       + create_options);
    run_sql_file(server,
                 m_name,
                 std::string(PBK_SOURCE_DIR) + "/tests/fixtures/postal/schema/main/"
                     + *initialized_level + ".sql");
  }
}

RestoreTarget::~RestoreTarget() {
  try {
    (void)run("rollback", {"--quiet"});
    for (const auto& database : databases_like(m_server, like_escaped(m_name) + "%")) {
      drop_database(m_server, database);
    }
    for (const auto& database : restore_leftovers(m_server)) {
      drop_database(m_server, database);
    }
  } catch (...) {
    // Deliberately ignored: leftovers die with the throwaway server.
  }
}

std::vector<std::string> RestoreTarget::connection_args() const {
  return m_server.tool_args(m_name, m_name);
}

CommandResult RestoreTarget::run(const std::string& command,
                                 std::vector<std::string> args,
                                 std::vector<std::string> extra_env) const {
  args.insert(args.begin(), command);
  const auto connection = connection_args();
  args.insert(args.end(), connection.begin(), connection.end());
  return run_tool(args, std::move(extra_env));
}

InstallChecksums RestoreTarget::checksums() const {
  auto connection = core::db::Connection::connect(m_server.root_options());
  InstallChecksums sums;
  for (const auto& database : databases_like(m_server, like_escaped(m_name) + "%")) {
    if (database == m_name || database.starts_with(m_name + "-server-")) {
      sums[database] = table_checksums(connection, database);
    }
  }
  return sums;
}

InstallChecksums sample_checksums(const TestServer& server, const PostalSample& sample) {
  auto connection = core::db::Connection::connect(server.root_options());
  InstallChecksums sums;
  for (const auto& database : sample.databases()) {
    sums[database] = table_checksums(connection, database);
  }
  return sums;
}

InstallChecksums as_restored_into(const InstallChecksums& sums,
                                  const PostalSample& sample,
                                  const RestoreTarget& target) {
  const auto databases = sample.databases(); // main first, then server 1, 2, …
  InstallChecksums renamed;
  for (std::size_t i = 0; i < databases.size(); ++i) {
    const auto name = i == 0 ? target.main_db() : target.message_db(static_cast<int>(i));
    renamed[name] = sums.at(databases[i]);
  }
  return renamed;
}

std::vector<std::string> databases_like(const TestServer& server, const std::string& pattern) {
  auto connection = core::db::Connection::connect(server.root_options());
  std::vector<std::string> names;
  for (const auto& row : connection
                             .query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                                    "SCHEMA_NAME LIKE "
                                    + connection.quote(pattern) + " ORDER BY SCHEMA_NAME")
                             .rows()) {
    names.push_back(row.at(0).value_or(""));
  }
  return names;
}

std::vector<std::string> restore_leftovers(const TestServer& server) {
  auto staging = databases_like(server, "pbk\\_%\\_new\\_%");
  const auto previous = databases_like(server, "pbk\\_%\\_old\\_%");
  staging.insert(staging.end(), previous.begin(), previous.end());
  return staging;
}

std::string simulated_upgrade_command(const TestServer& server,
                                      const std::string& main_db,
                                      const std::string& target_version) {
  return std::string(PBK_SOURCE_DIR) + "/scripts/simulate-postal-upgrade --socket " + server.socket
         + " --user root --main-db " + main_db + " --message-db-prefix " + main_db
         + " --target-version " + target_version;
}

} // namespace pbk::test
