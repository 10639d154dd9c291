// SPDX-License-Identifier: MIT
#include "tests/support/postal_sample.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pbk::test {
namespace {

std::string unique_stem() {
  static std::atomic<int> counter{0};
  return "pbk" + std::to_string(::getpid() % 100000) + "_" + std::to_string(++counter);
}

} // namespace

PostalSample::PostalSample(const TestServer& server, const SampleSpec& spec)
    : m_server(server),
      m_main_db(unique_stem() + "_main"),
      m_prefix(m_main_db.substr(0, m_main_db.size() - 5)),
      m_servers(spec.servers) {
  const auto result = run_command({std::string(PBK_SOURCE_DIR) + "/scripts/load-postal-sample",
                                   "--socket",
                                   server.socket,
                                   "--main-db",
                                   m_main_db,
                                   "--prefix",
                                   m_prefix,
                                   "--main-level",
                                   spec.main_level,
                                   "--message-level",
                                   spec.message_level,
                                   "--servers",
                                   std::to_string(spec.servers),
                                   "--messages",
                                   std::to_string(spec.messages),
                                   "--big-rows",
                                   std::to_string(spec.big_rows),
                                   "--seed",
                                   std::to_string(spec.seed),
                                   "--generator",
                                   std::string(PBK_BINARY_DIR) + "/tests/pbk-generate"});
  if (result.exit_code != 0) {
    throw std::runtime_error("load-postal-sample failed: " + result.err);
  }
}

PostalSample::~PostalSample() {
  try {
    for (const auto& database : databases()) {
      drop_database(m_server, database);
    }
  } catch (...) {
    // Deliberately ignored: leftovers die with the throwaway server.
  }
}

std::vector<std::string> PostalSample::databases() const {
  std::vector<std::string> names{m_main_db};
  for (int id = 1; id <= m_servers; ++id) {
    names.push_back(m_prefix + "-server-" + std::to_string(id));
  }
  return names;
}

std::vector<std::string> PostalSample::connection_args() const {
  return m_server.tool_args(m_main_db, m_prefix);
}

namespace {

// The binary under test ($PBK_BIN, else the build directory's) in front of `args`.
std::vector<std::string> tool_argv(std::vector<std::string> args) {
  const char* bin = std::getenv("PBK_BIN");
  args.insert(args.begin(), bin ? bin : std::string(PBK_BINARY_DIR) + "/postal-backup");
  return args;
}

} // namespace

CommandResult run_tool(std::vector<std::string> args, std::vector<std::string> extra_env) {
  return run_command(tool_argv(std::move(args)), {}, std::move(extra_env));
}

CommandResult run_tool_with_input(std::vector<std::string> args, std::string stdin_data) {
  return run_command(tool_argv(std::move(args)), std::move(stdin_data));
}

std::map<std::string, std::string> table_checksums(core::db::Connection& connection,
                                                   const std::string& database) {
  std::map<std::string, std::string> sums;
  const auto q = [&](const std::string& name) {
    return core::db::Connection::quote_identifier(database) + "."
           + core::db::Connection::quote_identifier(name);
  };
  auto tables =
      connection
          .query("SHOW FULL TABLES FROM " + core::db::Connection::quote_identifier(database)
                 + " WHERE Table_type = 'BASE TABLE'")
          .rows();
  for (const auto& row : tables) {
    const std::string name = *row[0];
    auto sum = connection.query("CHECKSUM TABLE " + q(name)).rows();
    const auto count = connection.query_value("SELECT COUNT(*) FROM " + q(name));
    sums[name] = sum.at(0).at(1).value_or("NULL") + "/" + count.value_or("?");
  }
  return sums;
}

void drop_database(const TestServer& server, const std::string& database) {
  auto connection = core::db::Connection::connect(server.root_options());
  connection.execute("DROP DATABASE IF EXISTS " + core::db::Connection::quote_identifier(database));
}

std::string file_contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void replace_file(const std::filesystem::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

} // namespace pbk::test
