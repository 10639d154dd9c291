// SPDX-License-Identifier: MIT
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

using pbk::test::ScratchDatabase;
using pbk::test::test_server;

BOOST_AUTO_TEST_SUITE(TestServerTest, *boost::unit_test::precondition(pbk::test::require_server))

// A developer would load fixtures into the wrong place, or leak databases between tests.
BOOST_AUTO_TEST_CASE(scratch_database_runs_sql_files_and_is_dropped) {
  const auto file =
      std::filesystem::temp_directory_path() / ("pbk_fixture_" + std::to_string(getpid()) + ".sql");
  std::ofstream(file) << "CREATE TABLE t (v VARCHAR(10));\nINSERT INTO t VALUES ('x'), ('y');\n";
  std::string name;
  {
    ScratchDatabase scratch(test_server());
    name = scratch.name();
    BOOST_TEST(name.rfind("pbk_test_", 0) == 0U);
    pbk::test::run_sql_file(test_server(), name, file);
    auto db = scratch.connect();
    BOOST_TEST((db.query_value("SELECT COUNT(*) FROM t") == std::optional<std::string>("2")));
  }
  std::filesystem::remove(file);
  auto db = pbk::core::db::Connection::connect(test_server().root_options());
  BOOST_TEST(!db.query_value("SELECT 1 FROM information_schema.schemata WHERE schema_name = "
                             + db.quote(name))
                  .has_value());
}

// A developer could not tell which server variant (binary log on/off) a run tested.
BOOST_AUTO_TEST_CASE(env_file_matches_the_server) {
  auto db = pbk::core::db::Connection::connect(test_server().root_options());
  const bool log_bin = db.query_value("SELECT @@log_bin") == std::optional<std::string>("1");
  BOOST_TEST(log_bin == test_server().log_bin);
  BOOST_TEST(test_server().port > 0U);
}

BOOST_AUTO_TEST_SUITE_END()
