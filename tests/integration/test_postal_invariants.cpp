// SPDX-License-Identifier: MIT
#include "postal/postal_invariants.hpp"

#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

using pbk::archive::DatabaseRole;
using pbk::core::db::Connection;
using pbk::postal::StagedDatabase;
using namespace pbk::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string joined(const std::vector<std::string>& lines) {
  std::ostringstream out;
  for (const auto& line : lines) {
    out << line << "\n";
  }
  return out.str();
}

// A sample loaded as if it were the staging side of a restore into `postal`,
// `postal-server-1`, ...: the sample's databases play the staging databases.
struct Staged {
  explicit Staged(const SampleSpec& spec)
      : sample(test_server(), spec),
        connection(Connection::connect(test_server().root_options())) {
    for (const auto& name : sample.databases()) {
      if (name == sample.main_db()) {
        databases.push_back({"postal", name, DatabaseRole::main, std::nullopt});
      } else {
        const int id = std::stoi(name.substr(name.rfind('-') + 1));
        databases.push_back(
            {"postal-server-" + std::to_string(id), name, DatabaseRole::message, id});
      }
    }
  }

  [[nodiscard]] std::vector<std::string> problems(const std::vector<std::string>& live = {}) {
    return pbk::postal::check_postal_invariants(connection, databases, "postal", live).problems;
  }

  [[nodiscard]] std::string table(int server, const std::string& name) const {
    return Connection::quote_identifier(databases.at(static_cast<std::size_t>(server)).staging_name)
           + "." + Connection::quote_identifier(name);
  }

  PostalSample sample;
  Connection connection;
  std::vector<StagedDatabase> databases;
};

const SampleSpec k_spec{"20240311205229", "20", 2, 20, 0, 41};

} // namespace

BOOST_AUTO_TEST_SUITE(PostalInvariants, *boost::unit_test::precondition(require_server))

// Lost if it failed: every correct backup would be refused at restore as inconsistent.
BOOST_AUTO_TEST_CASE(a_healthy_install_has_no_problems) {
  Staged staged(k_spec);
  const auto problems = staged.problems();
  BOOST_TEST(problems.empty(), joined(problems));
  const auto raw_tables =
      staged.connection.query_value("SELECT COUNT(*) FROM " + staged.table(1, "raw_message_sizes"));
  BOOST_TEST(std::stoi(raw_tables.value_or("0")) > 0); // the raw table checks had work to do
}

// Lost if it failed: a backup of the main database alone, restored onto a server without
// the message databases, would leave Postal with mail servers whose every page fails.
BOOST_AUTO_TEST_CASE(a_mail_server_without_its_message_database_is_reported) {
  Staged staged(k_spec);
  staged.databases.pop_back(); // the backup lacks postal-server-2
  const auto problems = staged.problems();
  BOOST_TEST_REQUIRE(problems.size() == 1u, joined(problems));
  BOOST_TEST(contains(problems[0], "postal: mail server 2 has no message database postal-server-2"),
             problems[0]);

  BOOST_TEST(staged.problems({"postal-server-2"}).empty()); // kept on the target server

  staged.connection.execute("UPDATE " + staged.table(0, "servers")
                            + " SET deleted_at = NOW() WHERE id = 2");
  BOOST_TEST(staged.problems().empty(), "a deleted mail server needs no message database");
}

// Lost if it failed: messages whose raw e-mail lives in a table the backup does not hold
// would come back as mail Postal cannot open or resend.
BOOST_AUTO_TEST_CASE(a_message_pointing_at_a_missing_raw_table_is_reported) {
  Staged staged(k_spec);
  staged.connection.execute("UPDATE " + staged.table(2, "messages")
                            + " SET raw_table = 'raw-2099-01-02' ORDER BY id LIMIT 1");
  const auto problems = staged.problems();
  BOOST_TEST_REQUIRE(problems.size() == 1u, joined(problems));
  BOOST_TEST(problems[0]
                 == "postal-server-2: messages.raw_table names raw-2099-01-02, which the backup "
                    "does not hold",
             problems[0]);
}

// Lost if it failed: raw_message_sizes out of step with the raw tables would leave Postal's
// pruning of old raw e-mail failing or skipping tables, so disks fill up.
BOOST_AUTO_TEST_CASE(raw_message_sizes_out_of_step_with_raw_tables_is_reported) {
  Staged staged(k_spec);
  const auto listed = staged.connection.query_value(
      "SELECT table_name FROM " + staged.table(1, "raw_message_sizes") + " ORDER BY table_name");
  BOOST_TEST_REQUIRE(listed.has_value());
  staged.connection.execute("DELETE FROM " + staged.table(1, "raw_message_sizes")
                            + " WHERE table_name = " + staged.connection.quote(*listed));
  staged.connection.execute("CREATE TABLE " + staged.table(2, "raw-2099-12-31") + " (id INT)");
  staged.connection.execute("INSERT INTO " + staged.table(2, "raw_message_sizes")
                            + " (table_name, size) VALUES ('raw-2099-12-30', 0)");

  const auto problems = staged.problems();
  BOOST_TEST_REQUIRE(problems.size() == 3u, joined(problems));
  BOOST_TEST(problems[0]
                 == "postal-server-1: raw table(s) " + *listed + " not listed in raw_message_sizes",
             problems[0]);
  BOOST_TEST(problems[1]
                 == "postal-server-2: raw_message_sizes lists raw-2099-12-30, which the backup "
                    "does not hold",
             problems[1]);
  BOOST_TEST(problems[2]
                 == "postal-server-2: raw table(s) raw-2099-12-31 not listed in "
                    "raw_message_sizes",
             problems[2]);
}

// Lost if it failed: a backup of an old Postal whose message databases predate
// raw_message_sizes could not be restored at all.
BOOST_AUTO_TEST_CASE(a_missing_raw_message_sizes_table_skips_its_check) {
  Staged staged(k_spec);
  staged.connection.execute("DROP TABLE " + staged.table(1, "raw_message_sizes"));
  staged.connection.execute("CREATE TABLE " + staged.table(1, "raw-2099-12-31") + " (id INT)");
  const auto problems = staged.problems();
  BOOST_TEST(problems.empty(), joined(problems));
}

BOOST_AUTO_TEST_SUITE_END()
