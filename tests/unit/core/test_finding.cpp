// SPDX-License-Identifier: MIT
// doctor's findings: the worst severity decides the exit code, free space is judged against
// what the next run writes, and a server setting's fix comes in my.cnf and Docker form.
#include "core/finding.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::core;

BOOST_TEST_DONT_PRINT_LOG_VALUE(pbk::core::Severity)

namespace {

Finding of(Severity severity) {
  Finding finding;
  finding.severity = severity;
  return finding;
}

constexpr std::uint64_t k_gib = 1ull << 30;

SpaceNeed need(std::optional<std::uint64_t> free, std::uint64_t needed) {
  SpaceNeed n;
  n.id = "backup_dir_free_space";
  n.path = "/var/backups/postal";
  n.free = free;
  n.unknown = "cannot examine /var/backups/postal: No such file or directory";
  n.needed = needed;
  n.needed_for = "a backup the size of the last one";
  n.fix = "free room";
  return n;
}

} // namespace

BOOST_AUTO_TEST_SUITE(FindingTest)

// Lost if it failed: one failure among many ok findings would exit 0 or 3, and cron would
// not mail the setting that breaks the next restore.
BOOST_AUTO_TEST_CASE(the_worst_severity_wins) {
  BOOST_TEST(worst({}) == Severity::ok);
  BOOST_TEST(worst({of(Severity::ok), of(Severity::info)}) == Severity::info);
  BOOST_TEST(worst({of(Severity::warning), of(Severity::failure), of(Severity::ok)})
             == Severity::failure);
  BOOST_TEST(std::string(to_string(Severity::warning)) == "warning");
}

// Lost if it failed: a disk that cannot take the next backup would be reported fine (the
// backup fails at 03:00), or one with room to spare would cry wolf every day.
BOOST_AUTO_TEST_CASE(free_space_is_judged_against_the_next_run) {
  BOOST_TEST(free_space_finding(need(k_gib - 1, k_gib)).severity == Severity::failure);
  BOOST_TEST(free_space_finding(need(k_gib, k_gib)).severity == Severity::warning);
  BOOST_TEST(free_space_finding(need(2 * k_gib - 1, k_gib)).severity == Severity::warning);
  const auto ok = free_space_finding(need(2 * k_gib, k_gib));
  BOOST_TEST(ok.severity == Severity::ok);
  BOOST_TEST(ok.fix.empty());
  const auto full = free_space_finding(need(0, k_gib));
  BOOST_TEST(full.fix == "free room");
  BOOST_TEST(full.value == "0 bytes free");
  BOOST_TEST(full.message.find("1 GiB") != std::string::npos, full.message);
}

// Lost if it failed: a directory that cannot be examined would read as full (a false
// failure) or as fine; it is said to be unchecked instead.
BOOST_AUTO_TEST_CASE(free_space_that_cannot_be_read_is_information) {
  const auto unknown = free_space_finding(need(std::nullopt, k_gib));
  BOOST_TEST(unknown.severity == Severity::info);
  BOOST_TEST(unknown.message.find("No such file") != std::string::npos, unknown.message);
  BOOST_TEST(free_space_finding(need(k_gib, 0)).severity == Severity::ok);
}

// Lost if it failed: an operator whose MariaDB runs in Docker would be told to edit a my.cnf
// the container does not read; the option's dashed form is what the image takes.
BOOST_AUTO_TEST_CASE(a_setting_fix_has_a_config_and_a_docker_form) {
  const auto fix = server_setting_fix("max_allowed_packet", "32M");
  BOOST_TEST(fix.fix.find("max_allowed_packet = 32M") != std::string::npos, fix.fix);
  BOOST_TEST(fix.fix.find("[mysqld]") != std::string::npos, fix.fix);
  BOOST_TEST(fix.docker.find("--max-allowed-packet=32M") != std::string::npos, fix.docker);
  BOOST_TEST(fix.docker.find("command:") != std::string::npos, fix.docker);
}

BOOST_AUTO_TEST_SUITE_END()
