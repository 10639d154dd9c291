// SPDX-License-Identifier: MIT
// A Postal install built in the test server from tests/fixtures/postal (schema of a given
// level plus generated rows, through scripts/load-postal-sample), under names of its own so
// tests can run side by side; dropped again when the object goes.
#pragma once

#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pbk::test {

struct SampleSpec {
  std::string main_level = "20180216114344";
  std::string message_level = "18";
  int servers = 1;
  int messages = 40;
  int big_rows = 0;
  int seed = 1;
};

class PostalSample {
public:
  PostalSample(const TestServer& server, const SampleSpec& spec);
  ~PostalSample();
  PostalSample(const PostalSample&) = delete;
  PostalSample& operator=(const PostalSample&) = delete;

  [[nodiscard]] const std::string& main_db() const { return m_main_db; }

  [[nodiscard]] const std::string& prefix() const { return m_prefix; }

  [[nodiscard]] std::vector<std::string> databases() const; // main first
  // --socket/--user/--main-db/--message-db-prefix for postal-backup.
  [[nodiscard]] std::vector<std::string> connection_args() const;

private:
  const TestServer& m_server;
  std::string m_main_db;
  std::string m_prefix;
  int m_servers;
};

// Runs the postal-backup binary under test: $PBK_BIN, else the build directory's (unit tests).
[[nodiscard]] CommandResult run_tool(std::vector<std::string> args,
                                     std::vector<std::string> extra_env = {});
// The same, with `stdin_data` on its standard input (an archive given as "-").
[[nodiscard]] CommandResult run_tool_with_input(std::vector<std::string> args,
                                                std::string stdin_data);

// CHECKSUM TABLE and row count of every base table of `database`.
[[nodiscard]] std::map<std::string, std::string> table_checksums(core::db::Connection& connection,
                                                                 const std::string& database);

void drop_database(const TestServer& server, const std::string& database);

// Whole files as text, for archives and logs the tests inspect or damage.
[[nodiscard]] std::string file_contents(const std::filesystem::path& path);
void replace_file(const std::filesystem::path& path, const std::string& data);

} // namespace pbk::test
