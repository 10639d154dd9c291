// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "restore/preflight.hpp"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

using namespace pbk;
using restore::check_server_version;
using restore::server_needs;
using restore::size_text;

namespace {

void expect_refused(const std::string& version, bool mariadb, const std::string& fragment) {
  BOOST_TEST_CONTEXT(version) {
    try {
      check_server_version(version, mariadb);
      BOOST_ERROR("accepted");
    } catch (const core::Error& e) {
      BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(core::ExitCode::refused));
      BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos, e.what());
      BOOST_TEST(!e.hints().empty());
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(Preflight)

// Lost if it failed: restores into the servers Postal supports would be refused.
BOOST_AUTO_TEST_CASE(servers_postal_supports_pass) {
  BOOST_CHECK_NO_THROW(check_server_version("10.11.19-MariaDB-0+deb12u1", true));
  BOOST_CHECK_NO_THROW(check_server_version("10.3.39-MariaDB", true));
  BOOST_CHECK_NO_THROW(check_server_version("11.4.2-MariaDB-ubu2404", true));
  BOOST_CHECK_NO_THROW(check_server_version("5.5.5-10.6.18-MariaDB", false));
  BOOST_CHECK_NO_THROW(check_server_version("5.7.44-log", false));
  BOOST_CHECK_NO_THROW(check_server_version("8.0.36", false));
}

// Lost if it failed: a restore into a server Postal cannot run on would go through, and Postal
// would fail afterwards on the restored data.
BOOST_AUTO_TEST_CASE(older_servers_are_refused_naming_the_version) {
  expect_refused("10.2.44-MariaDB",
                 true,
                 "the target server is MariaDB 10.2.44 but Postal needs "
                 "MariaDB 10.3 or later");
  expect_refused("10.1.48-MariaDB-0+deb9u2", false, "MariaDB 10.1.48 but");
  expect_refused("5.5.5-10.2.1-MariaDB", false, "MariaDB 10.2.1 but");
  expect_refused("5.6.51-log",
                 false,
                 "the target server is MySQL 5.6.51 but Postal needs MySQL "
                 "5.7 or later");
  expect_refused("unknown", false, "version unknown is not one postal-backup can read");
}

// Lost if it failed: refusals would print sizes a person cannot compare with the settings.
BOOST_AUTO_TEST_CASE(sizes_read_like_the_settings) {
  BOOST_TEST(size_text(0) == "0 bytes");
  BOOST_TEST(size_text(1023) == "1023 bytes");
  BOOST_TEST(size_text(16ull << 20) == "16 MiB");
  BOOST_TEST(size_text((16ull << 20) + 1) == "16.1 MiB");
  BOOST_TEST(size_text(3ull << 29) == "1.5 GiB");
  BOOST_TEST(size_text(1ull << 50) == "1 PiB");
}

// Lost if it failed: `inspect` would tell an operator to set other values than the restore's
// preflight then demands, and the restore would still be refused after the server restart.
BOOST_AUTO_TEST_CASE(server_needs_are_the_preflights_arithmetic) {
  const auto needs = server_needs(20ull << 20, 3ull << 30);
  BOOST_TEST(needs.max_allowed_packet == 21ull << 20);
  BOOST_TEST(needs.max_allowed_packet_setting == "32M");
  BOOST_TEST(needs.redo_log == 200ull << 20);
  BOOST_TEST(needs.redo_log_setting == "256M");
  BOOST_TEST(needs.free_space == 3ull << 30);
  BOOST_TEST(server_needs(0, 0).max_allowed_packet_setting == "1M");
}

// Lost if it failed: a crafted manifest's largest row near 2^64 hung `inspect` and the
// restore preflight (the doubling to a setting wrapped and never ended) or wrapped to a small
// need that a stock server passes.
BOOST_AUTO_TEST_CASE(a_forged_row_size_saturates_instead_of_wrapping) {
  const auto max = std::numeric_limits<std::uint64_t>::max();
  for (const std::uint64_t row : {max, max - 5, max / 10 + 1, std::uint64_t{1} << 63}) {
    const auto needs = server_needs(row, 0);
    BOOST_TEST(needs.max_allowed_packet >= row);
    BOOST_TEST(needs.redo_log == max);
    BOOST_TEST(needs.redo_log_setting == "17592186044416M");
  }
}

BOOST_AUTO_TEST_SUITE_END()
