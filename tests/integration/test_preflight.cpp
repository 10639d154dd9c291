// SPDX-License-Identifier: MIT
// preflight against the real test server (MariaDB, 1 GiB max_allowed_packet, 512 MiB redo
// log, local): each refusal is provoked by the input or by a global setting changed for the
// test and put back by a guard.
#include "core/error.hpp"
#include "restore/preflight.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>

using pbk::core::db::Connection;
using pbk::restore::preflight;
using pbk::restore::PreflightInput;

namespace {

constexpr std::uint64_t k_mib = 1ull << 20;

// SET GLOBAL `name` for the test's duration; the old value comes back when it goes.
class GlobalSetting {
public:
  GlobalSetting(std::string name, const std::string& value)
      : m_admin(Connection::connect(pbk::test::test_server().root_options())),
        m_name(std::move(name)),
        m_old(m_admin.query_value("SELECT @@GLOBAL." + m_name).value()) {
    m_admin.execute("SET GLOBAL " + m_name + " = " + value);
  }

  ~GlobalSetting() {
    try {
      const bool numeric =
          std::all_of(m_old.begin(), m_old.end(), [](char c) { return c >= '0' && c <= '9'; });
      m_admin.execute("SET GLOBAL " + m_name + " = " + (numeric ? m_old : m_admin.quote(m_old)));
    } catch (const std::exception& e) {
      BOOST_TEST_MESSAGE("cannot restore " << m_name << ": " << e.what());
    }
  }

  GlobalSetting(const GlobalSetting&) = delete;
  GlobalSetting& operator=(const GlobalSetting&) = delete;

private:
  Connection m_admin;
  std::string m_name;
  std::string m_old;
};

Connection connect() {
  return Connection::connect(pbk::test::test_server().root_options());
}

PreflightInput fitting_input() {
  PreflightInput input;
  input.largest_row = 2 * k_mib;
  input.raw_bytes = 4 * k_mib;
  input.postal3_target = true;
  input.connected_locally = true;
  return input;
}

// The refusal preflight throws for `input`, checked to be one line with hints.
pbk::core::Error refusal(const PreflightInput& input) {
  auto connection = connect();
  try {
    (void)preflight(connection, input);
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(pbk::core::ExitCode::refused));
    BOOST_TEST(std::string(e.what()).find('\n') == std::string::npos);
    BOOST_TEST(!e.hints().empty());
    return e;
  }
  BOOST_FAIL("preflight passed");
  return pbk::core::Error(pbk::core::ExitCode::ok, "");
}

bool has_warning(const pbk::restore::PreflightReport& report, const std::string& fragment) {
  return std::any_of(report.warnings.begin(), report.warnings.end(), [&](const std::string& w) {
    return w.find(fragment) != std::string::npos;
  });
}

std::string joined(const std::vector<std::string>& hints) {
  std::string text;
  for (const auto& hint : hints) {
    text += hint + "\n";
  }
  return text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(PreflightOnServer, *boost::unit_test::precondition(pbk::test::require_server))

// Lost if it failed: restores into a well-configured server would be refused or nagged.
BOOST_AUTO_TEST_CASE(a_server_that_fits_passes_without_warnings) {
  auto connection = connect();
  const auto report = preflight(connection, fitting_input());
  BOOST_TEST(report.server_version == connection.server_version());
  BOOST_TEST(report.warnings.empty(), joined(report.warnings));
}

// Lost if it failed: a restore would die on the first big row, and Postal could not read
// that message afterwards either.
BOOST_AUTO_TEST_CASE(a_row_over_max_allowed_packet_is_refused) {
  GlobalSetting packet("max_allowed_packet", std::to_string(16 * k_mib));
  auto input = fitting_input();
  input.largest_row = 17 * k_mib;
  const auto e = refusal(input);
  BOOST_TEST(std::string(e.what())
             == "the target server's max_allowed_packet is 16 MiB but the backup holds a 17 MiB "
                "row (a row needs its size plus 1 MiB)");
  BOOST_TEST(e.hints().at(0).starts_with("set max_allowed_packet=32M in the server's config"));
}

// Lost if it failed: InnoDB would reject a big raw message half-way through the restore.
BOOST_AUTO_TEST_CASE(a_row_over_a_tenth_of_the_redo_log_is_refused) {
  auto input = fitting_input();
  input.largest_row = 60 * k_mib;
  const auto e = refusal(input);
  BOOST_TEST(std::string(e.what())
             == "the target server's InnoDB redo log is 512 MiB but the backup holds a 60 MiB "
                "row; InnoDB refuses a row larger than a tenth of its redo log");
  BOOST_TEST(e.hints().at(0).starts_with("set innodb_log_file_size=1024M in the server's config"));
}

// Lost if it failed: a restore would fill the disk of the server while the live data is
// still there, taking the running Postal down with it.
BOOST_AUTO_TEST_CASE(data_larger_than_the_free_space_is_refused_when_local) {
  auto input = fitting_input();
  input.raw_bytes = 1ull << 50;
  const auto e = refusal(input);
  const std::string message = e.what();
  BOOST_TEST(message.starts_with("the target server's data directory "), message);
  BOOST_TEST(message.find(" free but the backup holds 1 PiB of data") != std::string::npos,
             message);
  input.connected_locally = false;
  auto connection = connect();
  const auto remote = preflight(connection, input);
  BOOST_TEST(has_warning(remote, "free space on the target server was not checked"));
}

// Lost if it failed: Postal 3 migrations would fail on the tables created after the restore.
BOOST_AUTO_TEST_CASE(compact_default_row_format_is_refused_for_postal_3) {
  GlobalSetting format("innodb_default_row_format", "'compact'");
  const auto e = refusal(fitting_input());
  BOOST_TEST(std::string(e.what())
             == "the target server's innodb_default_row_format is compact but Postal 3 needs "
                "dynamic: its migrations fail on COMPACT tables");
  BOOST_TEST(e.hints().at(0).starts_with("set innodb_default_row_format=dynamic"));
  auto older = fitting_input();
  older.postal3_target = false;
  auto connection = connect();
  BOOST_CHECK_NO_THROW((void)preflight(connection, older));
}

// Lost if it failed: a restore from a pipe (sizes unknown up front) would be refused, or
// would not say that its sizes are only checked later.
BOOST_AUTO_TEST_CASE(unknown_sizes_pass_with_a_warning) {
  GlobalSetting packet("max_allowed_packet", std::to_string(16 * k_mib));
  auto connection = connect();
  const auto report = preflight(connection, PreflightInput{0, 0, true, true, {}});
  BOOST_TEST(has_warning(report, "sizes are checked as rows arrive"), joined(report.warnings));
}

BOOST_AUTO_TEST_SUITE_END()
