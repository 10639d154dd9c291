// SPDX-License-Identifier: MIT
// doctor's judgement of server variables: binary logging, the row format for Postal 3.x, and
// max_allowed_packet and the redo log against the largest message, at their thresholds.
#include "restore/server_readiness.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::restore;
using pbk::core::Finding;
using pbk::core::Severity;

BOOST_TEST_DONT_PRINT_LOG_VALUE(pbk::core::Severity)

namespace {

constexpr std::uint64_t k_mib = 1ull << 20;

Finding by_id(const std::vector<Finding>& findings, const std::string& id) {
  for (const auto& finding : findings) {
    if (finding.id == id) {
      return finding;
    }
  }
  BOOST_FAIL("no finding " + id);
  return findings.front();
}

} // namespace

BOOST_AUTO_TEST_SUITE(ServerReadiness)

// Lost if it failed: a server without a binary log would look ready, and the operator would
// learn at the restore that the hours since the last backup cannot be replayed.
BOOST_AUTO_TEST_CASE(binary_logging_off_or_by_statement_is_a_warning) {
  const auto off = judge_binary_log({{"log_bin", "OFF"}, {"binlog_format", "ROW"}});
  BOOST_TEST_REQUIRE(off.size() == 1u);
  BOOST_TEST(off[0].id == "log_bin");
  BOOST_TEST(off[0].severity == Severity::warning);
  BOOST_TEST(off[0].docker.find("--log-bin") != std::string::npos, off[0].docker);

  const auto statement = judge_binary_log({{"log_bin", "ON"}, {"binlog_format", "STATEMENT"}});
  BOOST_TEST_REQUIRE(statement.size() == 1u);
  BOOST_TEST(statement[0].id == "binlog_format");
  BOOST_TEST(statement[0].severity == Severity::warning);
  BOOST_TEST(statement[0].fix.find("binlog_format = ROW") != std::string::npos);

  for (const char* format : {"ROW", "MIXED"}) {
    const auto good = judge_binary_log({{"log_bin", "ON"}, {"binlog_format", format}});
    BOOST_TEST(good.size() == 2u);
    BOOST_TEST(pbk::core::worst(good) == Severity::ok, format);
  }
}

// Lost if it failed: a Postal 3.x install on a COMPACT server would be called healthy until
// its next migration or restore fails; a 2.x one would be failed for a setting it does not need.
BOOST_AUTO_TEST_CASE(compact_rows_fail_only_postal_3) {
  const ServerVariables compact{{"innodb_default_row_format", "compact"}};
  BOOST_TEST(judge_row_format(compact, true).severity == Severity::failure);
  BOOST_TEST(judge_row_format(compact, true).docker.find("--innodb-default-row-format=dynamic")
             != std::string::npos);
  BOOST_TEST(judge_row_format(compact, false).severity == Severity::ok);
  BOOST_TEST(judge_row_format(compact, std::nullopt).severity == Severity::info);
  BOOST_TEST(judge_row_format({{"innodb_default_row_format", "DYNAMIC"}}, true).severity
             == Severity::ok);
  // A server without the variable (MySQL before 5.7.9) makes COMPACT tables.
  BOOST_TEST(judge_row_format({}, true).severity == Severity::failure);
}

// Lost if it failed: a server that cannot take back the largest message would pass, and
// the restore of its backups would be refused in the middle of an outage.
BOOST_AUTO_TEST_CASE(the_packet_holds_the_largest_message_and_its_statement) {
  const std::uint64_t largest = 15 * k_mib;
  const ServerVariables exact{{"max_allowed_packet", std::to_string(largest + k_mib)},
                              {"innodb_log_file_size", std::to_string(512 * k_mib)}};
  BOOST_TEST(pbk::core::worst(judge_row_limits(exact, largest)) == Severity::ok);
  const ServerVariables short_by_one{{"max_allowed_packet", std::to_string(largest + k_mib - 1)},
                                     {"innodb_log_file_size", std::to_string(512 * k_mib)}};
  const auto findings = judge_row_limits(short_by_one, largest);
  const auto packet = by_id(findings, "max_allowed_packet");
  BOOST_TEST(packet.severity == Severity::failure);
  BOOST_TEST(packet.fix.find("max_allowed_packet = 16M") != std::string::npos, packet.fix);
  BOOST_TEST(by_id(findings, "redo_log").severity == Severity::ok);
}

// Lost if it failed: InnoDB refuses a row over a tenth of its redo log; a redo log split
// over files, or sized by innodb_redo_log_capacity, would be measured wrong.
BOOST_AUTO_TEST_CASE(the_redo_log_holds_ten_times_the_largest_message) {
  const std::uint64_t largest = 20 * k_mib;
  const ServerVariables two_files{{"max_allowed_packet", std::to_string(1024 * k_mib)},
                                  {"innodb_log_file_size", std::to_string(100 * k_mib)},
                                  {"innodb_log_files_in_group", "2"}};
  BOOST_TEST(by_id(judge_row_limits(two_files, largest), "redo_log").severity == Severity::ok);
  const ServerVariables one_file{{"max_allowed_packet", std::to_string(1024 * k_mib)},
                                 {"innodb_log_file_size", std::to_string(100 * k_mib)}};
  const auto small = by_id(judge_row_limits(one_file, largest), "redo_log");
  BOOST_TEST(small.severity == Severity::failure);
  BOOST_TEST(small.fix.find("innodb_log_file_size = 256M") != std::string::npos, small.fix);
  const ServerVariables capacity{{"max_allowed_packet", std::to_string(1024 * k_mib)},
                                 {"innodb_log_file_size", std::to_string(1024 * k_mib)},
                                 {"innodb_redo_log_capacity", std::to_string(100 * k_mib)}};
  const auto by_capacity = by_id(judge_row_limits(capacity, largest), "redo_log");
  BOOST_TEST(by_capacity.severity == Severity::failure);
  BOOST_TEST(by_capacity.setting == "innodb_redo_log_capacity");
}

// Lost if it failed: an install without any message size would be failed (or passed) on a
// comparison that was never made; it says what was not checked.
BOOST_AUTO_TEST_CASE(no_known_message_size_is_information) {
  const auto findings = judge_row_limits({{"max_allowed_packet", "1024"}}, std::nullopt);
  BOOST_TEST_REQUIRE(findings.size() == 1u);
  BOOST_TEST(findings[0].severity == Severity::info);
}

// Lost if it failed: doctor run on another host would examine a local directory of the same
// name instead of the server's, and report its free space as the server's.
BOOST_AUTO_TEST_CASE(a_remote_data_directory_is_not_examined) {
  pbk::core::db::ConnectionOptions remote;
  remote.host = "db.example.org";
  BOOST_TEST(!is_local_server(remote));
  const auto finding = judge_datadir_space({{"datadir", "/"}}, false, 1);
  BOOST_TEST(finding.severity == Severity::info);
  BOOST_TEST(finding.message.find("not on this machine") != std::string::npos);
  BOOST_TEST(judge_datadir_space({{"datadir", "/"}}, true, 1).severity == Severity::ok);
}

// Lost if it failed: a SELECT-only backup user (the recommended one) would fail doctor for
// not being able to restore, while a missing RELOAD or journal SELECT went unsaid.
BOOST_AUTO_TEST_CASE(privileges_a_backup_user_lacks_are_named_with_their_grant) {
  Grants backup_user;
  backup_user.grantee = "'postal-backup'@'localhost'";
  backup_user.schema = {{"postal", "SELECT"}, {"postal-server-%", "SELECT"}};
  const auto findings = judge_privileges(backup_user, {"postal", "postal-server-1"});
  BOOST_TEST(by_id(findings, "restore_privileges").severity == Severity::info);
  const auto reload = by_id(findings, "reload_privilege");
  BOOST_TEST(reload.severity == Severity::warning);
  BOOST_TEST(reload.fix == "GRANT RELOAD ON *.* TO 'postal-backup'@'localhost'");
  const auto journal = by_id(findings, "journal_select");
  BOOST_TEST(journal.severity == Severity::warning);
  BOOST_TEST(journal.fix.find("`postal_backup`.*") != std::string::npos, journal.fix);

  backup_user.global = {"RELOAD"};
  backup_user.schema.emplace_back("postal\\_backup", "SELECT");
  BOOST_TEST(pbk::core::worst(judge_privileges(backup_user, {"postal", "postal-server-1"}))
             == Severity::info);
}

BOOST_AUTO_TEST_SUITE_END()
