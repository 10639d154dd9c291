// SPDX-License-Identifier: MIT
// `doctor` on the real server: a healthy Postal 3.x install with a fresh verified backup and
// fresh metrics exits 0 (3 with only the log_bin warning on a server without binary
// logging); each bad setting or state, made in turn and undone after its case, is reported as
// exactly that finding with its severity and exit code.
#include "cli/metrics_file.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/sample_archive.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>

using namespace pbk::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* k_level_3_3 = "20240311205229";
constexpr const char* k_level_1_x = "20180216114344";
constexpr const char* k_level_2_1_4 = "20210727210551";

std::int64_t unix_now_minus(std::chrono::hours age) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::system_clock::now() - age).time_since_epoch())
      .count();
}

// The file `command --metrics-file` writes, as if its last run finished `age` ago.
void write_metrics(const fs::path& path, const std::string& command, std::chrono::hours age) {
  pbk::cli::RunMetrics metrics;
  metrics.command = command;
  metrics.finished_at = unix_now_minus(age);
  metrics.last_success = metrics.finished_at;
  std::ofstream(path) << pbk::cli::format_metrics(metrics);
}

// A Postal 3.x install with a message of 17 MiB, and a directory holding its backup.
struct HealthyInstall {
  HealthyInstall() {
    auto args = sample.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output-dir", backups.path().string(), "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  }

  PostalSample sample{test_server(), {k_level_3_3, "20", 2, 20, 1, 61}};
  TempDir backups;
};

// A server variable set for one case and put back after it, whatever the case does.
class GlobalVariable {
public:
  GlobalVariable(const std::string& name, const std::string& value)
      : m_admin(pbk::core::db::Connection::connect(test_server().root_options())),
        m_name(name),
        m_old(m_admin.query_value("SELECT @@GLOBAL." + name).value_or("")) {
    m_admin.execute("SET GLOBAL " + name + " = " + literal(value));
  }

  ~GlobalVariable() {
    try {
      m_admin.execute("SET GLOBAL " + m_name + " = " + literal(m_old));
    } catch (...) {
      // Best effort: the test's own failure says more than this one.
    }
  }

  GlobalVariable(const GlobalVariable&) = delete;
  GlobalVariable& operator=(const GlobalVariable&) = delete;

private:
  // Numeric variables refuse a quoted value.
  std::string literal(const std::string& value) {
    const bool number =
        !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
    return number ? value : m_admin.quote(value);
  }

  pbk::core::db::Connection m_admin;
  std::string m_name;
  std::string m_old;
};

using Problems = std::map<std::string, std::string>; // id → warning or failure

// What a server of this suite reports even when the install is healthy.
Problems baseline() {
  return test_server().log_bin ? Problems{} : Problems{{"log_bin", "warning"}};
}

struct DoctorCase {
  const HealthyInstall& shared = suite_shared<HealthyInstall>();
  TempDir dir;
  fs::path create_metrics = dir / "postal_backup.prom";
  fs::path drill_metrics = dir / "postal_backup_drill.prom";

  DoctorCase() {
    write_metrics(create_metrics, "create", std::chrono::hours(1));
    write_metrics(drill_metrics, "drill", std::chrono::hours(24));
  }

  // `doctor --json` on the shared install with its backups and metrics, plus `extra`.
  [[nodiscard]] CommandResult doctor(std::vector<std::string> extra = {},
                                     std::vector<std::string> connection = {}) const {
    std::vector<std::string> args{"--json",
                                  "doctor",
                                  "--output-dir",
                                  shared.backups.path().string(),
                                  "--metrics-file",
                                  create_metrics.string(),
                                  "--metrics-file",
                                  drill_metrics.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    if (connection.empty()) {
      connection = shared.sample.connection_args();
    }
    args.insert(args.end(), connection.begin(), connection.end());
    return run_tool(args);
  }
};

Json parsed(const CommandResult& result) {
  try {
    return Json::parse(result.out);
  } catch (const Json::exception& e) {
    BOOST_FAIL("doctor --json printed no JSON: " << e.what() << ": " << result.out << result.err);
  }
  return {};
}

Problems problems(const Json& report) {
  Problems found;
  for (const auto& finding : report.at("findings")) {
    const auto severity = finding.at("severity").get<std::string>();
    if (severity == "warning" || severity == "failure") {
      found[finding.at("id").get<std::string>()] = severity;
    }
  }
  return found;
}

Json finding(const Json& report, const std::string& id) {
  for (const auto& f : report.at("findings")) {
    if (f.at("id") == id) {
      return f;
    }
  }
  BOOST_FAIL("no finding " << id << " in " << report.dump());
  return {};
}

// The report names exactly `expected` (besides the baseline) and exits with `exit_code`.
void expect_exactly(const CommandResult& result, Problems expected, int exit_code) {
  const auto report = parsed(result);
  for (const auto& [id, severity] : baseline()) {
    expected.emplace(id, severity);
  }
  const auto found = problems(report);
  BOOST_TEST((found == expected), result.out);
  BOOST_TEST(result.exit_code == exit_code, result.out << result.err);
  BOOST_TEST(report.at("exit_code") == result.exit_code);
}

int exit_for(const Problems& problems) {
  int code = 0;
  for (const auto& [id, severity] : problems) {
    code = std::max(code, severity == "failure" ? 5 : 3);
  }
  return code;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(Doctor,
                         DoctorCase,
                         *shared_by_suite<HealthyInstall>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a healthy install would be reported broken every night (an alert nobody
// believes), or --json would not give a monitoring script the findings and the result.
BOOST_AUTO_TEST_CASE(a_healthy_install_exits_0) {
  const auto result = doctor();
  expect_exactly(result, {}, exit_for(baseline()));
  const auto report = parsed(result);
  BOOST_TEST(report.at("result") == (test_server().log_bin ? "ok" : "warnings"));
  for (const auto& f : report.at("findings")) {
    for (const char* key : {"severity", "id", "setting", "value", "message", "fix", "docker"}) {
      BOOST_TEST(f.contains(key), key << " missing in " << f.dump());
    }
  }
  for (const char* id : {"log_bin",
                         "backup_select",
                         "schema",
                         "row_format",
                         "max_allowed_packet",
                         "redo_log",
                         "datadir_free_space",
                         "restore_privileges",
                         "reload_privilege",
                         "restore_awaiting_migrations",
                         "newest_backup",
                         "backup_dir_free_space",
                         "metrics_file",
                         "last_drill"}) {
    BOOST_TEST(!finding(report, id).empty(), id);
  }
  BOOST_TEST(finding(report, "max_allowed_packet").at("message").get<std::string>().find("17")
                 != std::string::npos,
             "the largest message is the sample's 17 MiB one");

  const auto text = run_tool([&] {
    std::vector<std::string> args{"doctor"};
    const auto connection = shared.sample.connection_args();
    args.insert(args.end(), connection.begin(), connection.end());
    return args;
  }());
  BOOST_TEST(text.out.find("row_format") != std::string::npos, text.out);
  BOOST_TEST(text.out.find("doctor: 0 failures") != std::string::npos, text.out);
}

// Lost if it failed: a server that logs statements, or nothing, would pass, and the hours
// after the last backup could not be replayed after a restore.
BOOST_AUTO_TEST_CASE(statement_logging_or_none_is_a_warning) {
  if (!test_server().log_bin) {
    const auto result = doctor();
    expect_exactly(result, {}, 3);
    BOOST_TEST(finding(parsed(result), "log_bin").at("docker").get<std::string>().find("--log-bin")
               != std::string::npos);
    return;
  }
  const GlobalVariable format("binlog_format", "STATEMENT");
  const auto result = doctor();
  expect_exactly(result, {{"binlog_format", "warning"}}, 3);
  const auto f = finding(parsed(result), "binlog_format");
  BOOST_TEST(f.at("value") == "STATEMENT");
  BOOST_TEST(f.at("docker").get<std::string>().find("--binlog-format=ROW") != std::string::npos);
}

// Lost if it failed: a Postal 3.x install on a server making COMPACT tables would be called
// healthy until its next migration or restore fails.
BOOST_AUTO_TEST_CASE(compact_rows_under_postal_3_fail) {
  const GlobalVariable format("innodb_default_row_format", "compact");
  const auto result = doctor();
  expect_exactly(result, {{"row_format", "failure"}}, 5);
  BOOST_TEST(finding(parsed(result), "row_format").at("fix").get<std::string>().find("dynamic")
             != std::string::npos);
}

// Lost if it failed: the server could not take back its own largest message, and the restore
// of any backup holding it would be refused in the middle of an outage.
BOOST_AUTO_TEST_CASE(a_packet_smaller_than_the_largest_message_fails) {
  const GlobalVariable packet("max_allowed_packet", std::to_string(4u << 20));
  const auto result = doctor();
  expect_exactly(result, {{"max_allowed_packet", "failure"}}, 5);
  const auto f = finding(parsed(result), "max_allowed_packet");
  BOOST_TEST(f.at("value") == "4 MiB");
  BOOST_TEST(f.at("fix").get<std::string>().find("max_allowed_packet = 32M") != std::string::npos,
             f.dump());
}

// Lost if it failed: a backup user that cannot read one mail server's database would pass,
// and the nightly create would fail (or a restore would lack that server's mail).
BOOST_AUTO_TEST_CASE(a_user_that_cannot_read_a_message_database_fails) {
  TestUser user(test_server(), "pbk_doctor_backup");
  user.grant("SELECT ON `" + shared.sample.main_db() + "`.*");
  user.grant("RELOAD ON *.*");
  user.grant("SELECT ON `postal_backup`.*");
  const auto password = dir / "password";
  std::ofstream(password) << TestUser::password() << '\n';
  fs::permissions(password, fs::perms::owner_read | fs::perms::owner_write);
  const auto result = doctor({},
                             {"--socket",
                              test_server().socket,
                              "--user",
                              user.name(),
                              "--password-file",
                              password.string(),
                              "--main-db",
                              shared.sample.main_db(),
                              "--message-db-prefix",
                              shared.sample.prefix()});
  expect_exactly(result, {{"backup_select", "failure"}}, 5);
  const auto f = finding(parsed(result), "backup_select");
  BOOST_TEST(f.at("fix").get<std::string>().find("GRANT SELECT ON `" + shared.sample.prefix())
                 != std::string::npos,
             f.dump());
}

// Lost if it failed: a table changed by hand would go unnoticed until a drill (or Postal's
// next upgrade) fails on it.
BOOST_AUTO_TEST_CASE(a_schema_that_drifted_fails) {
  const PostalSample drifted(test_server(), {k_level_3_3, "20", 1, 5, 0, 62});
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  admin.execute("ALTER TABLE `" + drifted.main_db() + "`.`users` ADD COLUMN `nickname` INT");
  const auto result = doctor({}, drifted.connection_args());
  expect_exactly(result, {{"schema", "failure"}}, 5);
}

// Lost if it failed: a backup directory the nightly create stopped writing to (or never
// wrote to) would pass as protected.
BOOST_AUTO_TEST_CASE(a_directory_without_a_verified_backup_fails) {
  const TempDir empty;
  auto args = shared.sample.connection_args();
  const auto result = run_tool([&] {
    std::vector<std::string> argv{"--json",
                                  "doctor",
                                  "--output-dir",
                                  empty.path().string(),
                                  "--metrics-file",
                                  create_metrics.string(),
                                  "--metrics-file",
                                  drill_metrics.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }());
  expect_exactly(result, {{"newest_backup", "failure"}}, 5);

  const auto missing = run_tool([&] {
    std::vector<std::string> argv{"--json",
                                  "doctor",
                                  "--output-dir",
                                  (empty / "no-such-directory").string(),
                                  "--metrics-file",
                                  create_metrics.string(),
                                  "--metrics-file",
                                  drill_metrics.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }());
  expect_exactly(missing, {{"newest_backup", "failure"}}, 5);
}

// Lost if it failed: a backup timer that stopped firing would look fine as long as its old
// metrics file stayed in place, and a drill that stopped passing would go unnoticed.
BOOST_AUTO_TEST_CASE(stale_metrics_files_are_warnings) {
  write_metrics(create_metrics, "create", std::chrono::hours(30));
  expect_exactly(doctor(), {{"metrics_file", "warning"}}, 3);
  write_metrics(create_metrics, "create", std::chrono::hours(1));
  write_metrics(drill_metrics, "drill", std::chrono::hours(10 * 24));
  expect_exactly(doctor(), {{"last_drill", "warning"}}, 3);
  expect_exactly(doctor({"--max-drill-age", "11"}), {}, exit_for(baseline()));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

struct OneXArchive : SampleArchive {
  OneXArchive()
      : SampleArchive({k_level_1_x, "18", 1, 10, 0, 63}) {}
};

} // namespace

BOOST_AUTO_TEST_SUITE(DoctorAfterRestore, *boost::unit_test::precondition(require_server))

// Lost if it failed: a restore left awaiting migrations would not be named, and the nightly
// create would refuse (exit 5) without doctor having said why.
BOOST_AUTO_TEST_CASE(a_restore_awaiting_migrations_fails) {
  const OneXArchive source;
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto restored = target.run("restore", {source.archive.string(), "--quiet"});
  BOOST_TEST_REQUIRE(restored.exit_code == 3, restored.err);
  const auto result = target.run("doctor", {"--json"});
  const auto report = parsed(result);
  BOOST_TEST(finding(report, "restore_awaiting_migrations").at("severity") == "failure",
             result.out);
  BOOST_TEST(result.exit_code == 5, result.out << result.err);
  for (const auto& [id, severity] : problems(report)) {
    // The restored databases are below the target's level: schema check may say so too.
    BOOST_TEST((id == "restore_awaiting_migrations" || id == "schema" || baseline().contains(id)),
               id << " " << severity);
  }
}

BOOST_AUTO_TEST_SUITE_END()
