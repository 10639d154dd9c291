// SPDX-License-Identifier: MIT
// The databases a restore test writes into: a main database and its `<name>-server-<id>`
// message databases under a name of their own, optionally initialised as a fresh Postal
// install of some level (the schema and migration rows `postal initialize` leaves). On
// destruction an unfinished restore is rolled back and every database it could have made
// is dropped, so one test's restore never blocks the next one's.
#pragma once

#include "tests/support/postal_sample.hpp"
#include "tests/support/test_server.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pbk::test {

// Per database, per table: CHECKSUM TABLE and row count.
using InstallChecksums = std::map<std::string, std::map<std::string, std::string>>;

class RestoreTarget {
public:
  // `initialized_level`: a main level of tests/fixtures/postal/schema/main to load, into a
  // main database created with `create_options` (as Rails' db:create does, by default; the
  // 1.x installer and containers create it with other defaults).
  RestoreTarget(const TestServer& server,
                std::optional<std::string> initialized_level,
                const std::string& create_options = "DEFAULT CHARACTER SET utf8mb4");
  ~RestoreTarget();
  RestoreTarget(const RestoreTarget&) = delete;
  RestoreTarget& operator=(const RestoreTarget&) = delete;

  [[nodiscard]] const std::string& main_db() const { return m_name; }

  [[nodiscard]] std::string message_db(int id) const {
    return m_name + "-server-" + std::to_string(id);
  }

  // --socket/--user/--main-db/--message-db-prefix for postal-backup.
  [[nodiscard]] std::vector<std::string> connection_args() const;
  // `postal-backup <command> <args…> <connection args>`.
  [[nodiscard]] CommandResult run(const std::string& command,
                                  std::vector<std::string> args = {},
                                  std::vector<std::string> extra_env = {}) const;

  // The main and message databases that exist now, with their checksums.
  [[nodiscard]] InstallChecksums checksums() const;

private:
  const TestServer& m_server;
  std::string m_name;
};

// Checksums of every database of `sample`.
[[nodiscard]] InstallChecksums sample_checksums(const TestServer& server,
                                                const PostalSample& sample);
// `sums` (of `sample`) under the names its databases get when restored into `target`.
[[nodiscard]] InstallChecksums as_restored_into(const InstallChecksums& sums,
                                                const PostalSample& sample,
                                                const RestoreTarget& target);

// Databases whose names match a LIKE pattern, e.g. "pbk\\_%\\_new\\_%" for staging databases.
[[nodiscard]] std::vector<std::string> databases_like(const TestServer& server,
                                                      const std::string& pattern);
// Every staging or set-aside database any restore left on the server.
[[nodiscard]] std::vector<std::string> restore_leftovers(const TestServer& server);

// The simulated `postal upgrade` (scripts/simulate-postal-upgrade) as a shell command line.
[[nodiscard]] std::string simulated_upgrade_command(const TestServer& server,
                                                    const std::string& main_db,
                                                    const std::string& target_version);

} // namespace pbk::test
