// SPDX-License-Identifier: MIT
// What a cron job or a systemd timer sees: --metrics-file after a success and after a
// failure (the last success survives the failure), and --quiet printing nothing when a
// command succeeds and exactly one line when it does not, for every command a schedule runs.
#include "tests/support/background_process.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

using namespace pbk::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The value of the one sample of `name` labelled command="create" (and `more` labels).
std::string
sample_value(const std::string& text, const std::string& name, const std::string& more = "") {
  const std::string head = "postal_backup_" + name + "{command=\"create\"" + more + "} ";
  const auto at = text.find("\n" + head);
  BOOST_TEST_REQUIRE(at != std::string::npos, head << " not in:\n" << text);
  const auto begin = at + 1 + head.size();
  return text.substr(begin, text.find('\n', begin) - begin);
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> with(std::vector<std::string> args, std::vector<std::string> more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// One line on stderr, nothing on stdout: what --quiet promises for a failure.
void check_one_line_failure(const CommandResult& result, int exit_code, const std::string& what) {
  BOOST_TEST(result.exit_code == exit_code, what << ": exit " << result.exit_code);
  BOOST_TEST(line_count(result.err) == 1u, what << ": " << result.err);
  BOOST_TEST(result.out.empty(), what << ": " << result.out);
}

void check_silent_success(const CommandResult& result, const std::string& what) {
  BOOST_TEST(result.exit_code == 0, what << ": exit " << result.exit_code << ": " << result.err);
  BOOST_TEST(result.err.empty(), what << ": " << result.err);
  BOOST_TEST(result.out.empty(), what << ": " << result.out);
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files.push_back(entry.path());
  }
  return files;
}

} // namespace

BOOST_AUTO_TEST_SUITE(CronOutput, *boost::unit_test::precondition(require_server))

// Lost if it failed: monitoring would not see a backup succeed, or, worse, a failed night
// would look like a success or reset the age of the last good backup.
BOOST_AUTO_TEST_CASE(metrics_file_after_a_success_and_after_a_failure) {
  PostalSample sample(test_server(), {"20240311205229", "20", 2, 10, 0, 21});
  TempDir dir;
  fs::create_directory(dir / "out");
  const auto metrics = dir / "postal_backup.prom";
  const auto before = unix_now();
  auto create = sample.connection_args();
  create.insert(create.begin(), "create");
  const auto created = run_tool(
      with(create,
           {"--output-dir", (dir / "out").string(), "--metrics-file", metrics.string(), "--json"}));
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const auto summary = nlohmann::json::parse(created.out);
  auto text = file_contents(metrics);
  BOOST_TEST(sample_value(text, "last_exit_code") == "0");
  const auto success = std::stoll(sample_value(text, "last_success_timestamp_seconds"));
  BOOST_TEST(success >= before);
  BOOST_TEST(success <= unix_now());
  BOOST_TEST(sample_value(text, "last_run_timestamp_seconds") == std::to_string(success));
  BOOST_TEST(std::stod(sample_value(text, "duration_seconds")) > 0.0);
  BOOST_TEST(sample_value(text, "rows") == summary.at("rows").dump());
  BOOST_TEST(sample_value(text, "bytes_stored") == summary.at("bytes_stored").dump());
  BOOST_TEST(sample_value(text, "bytes_raw") == summary.at("bytes_raw").dump());
  unsigned long long per_database = 0;
  for (const auto& database : sample.databases()) {
    per_database +=
        std::stoull(sample_value(text, "database_rows", ",database=\"" + database + "\""));
  }
  BOOST_TEST(std::to_string(per_database) == summary.at("rows").dump());
  BOOST_TEST(contains(text, "# TYPE postal_backup_last_exit_code gauge\n"));

  // The server is unreachable: exit 1, and the file says so but keeps the success time.
  auto broken = create;
  const auto socket = std::find(broken.begin(), broken.end(), "--socket");
  BOOST_TEST_REQUIRE((socket != broken.end()));
  *(socket + 1) = (dir / "no-such.sock").string();
  const auto failed = run_tool(with(
      broken,
      {"--output-dir", (dir / "out").string(), "--metrics-file", metrics.string(), "--quiet"}));
  check_one_line_failure(failed, 1, "create against a missing socket");
  text = file_contents(metrics);
  BOOST_TEST(sample_value(text, "last_exit_code") == "1");
  BOOST_TEST(std::stoll(sample_value(text, "last_success_timestamp_seconds")) == success);
  BOOST_TEST(std::stoll(sample_value(text, "last_run_timestamp_seconds")) >= success);
  BOOST_TEST(!contains(text, "bytes_stored"), text);
  BOOST_TEST(!fs::exists(metrics.string() + ".partial"));

  // A failure with no earlier file: no success is recorded (0), so an age alert fires.
  const auto fresh = dir / "fresh.prom";
  const auto first = run_tool(
      with(broken, {"--output-dir", (dir / "out").string(), "--metrics-file", fresh.string()}));
  BOOST_TEST(first.exit_code == 1);
  BOOST_TEST(sample_value(file_contents(fresh), "last_success_timestamp_seconds") == "0");
}

// Lost if it failed: a metrics directory that does not exist (a typo, the exporter not yet
// installed) would fail the night only after the archive was written, with exit 1, which
// tells a wrapper "no archive, retry": the retry writes a second archive every night.
BOOST_AUTO_TEST_CASE(a_metrics_file_that_cannot_be_written_fails_before_any_work) {
  PostalSample sample(test_server(), {"20240311205229", "20", 1, 5, 0, 23});
  TempDir dir;
  fs::create_directory(dir / "out");
  const auto metrics = dir / "no-such-dir" / "postal_backup.prom";
  auto create = sample.connection_args();
  create.insert(create.begin(), "create");
  const auto failed = run_tool(with(
      create,
      {"--output-dir", (dir / "out").string(), "--metrics-file", metrics.string(), "--quiet"}));
  check_one_line_failure(failed, 2, "create with a missing metrics directory");
  BOOST_TEST(contains(failed.err, "metrics file " + metrics.string()), failed.err);
  BOOST_TEST(contains(failed.err, "nothing was done"), failed.err);
  BOOST_TEST(files_in(dir / "out").empty());

  const auto hinted = run_tool(
      with(create, {"--output-dir", (dir / "out").string(), "--metrics-file", metrics.string()}));
  BOOST_TEST(hinted.exit_code == 2);
  BOOST_TEST(contains(hinted.err, "hint: create " + (dir / "no-such-dir").string()), hinted.err);

  const auto verified = run_tool({"verify", "--metrics-file", metrics.string(), "none.tar"});
  BOOST_TEST(verified.exit_code == 2, verified.err);
  BOOST_TEST(contains(verified.err, "metrics file"), verified.err);
}

// Lost if it failed: when the metrics directory disappears while a backup runs, the
// operator would read "error" and exit 1 and run the backup again, although the archive is
// there; the message must say the backup succeeded and where it is, with an exit code a
// wrapper does not retry (2).
BOOST_AUTO_TEST_CASE(metrics_failing_after_the_archive_say_the_backup_succeeded) {
  PostalSample sample(test_server(), {"20240311205229", "20", 1, 5, 0, 24});
  TempDir dir;
  fs::create_directory(dir / "out");
  fs::create_directory(dir / "metrics");
  std::vector<std::string> argv{std::getenv("PBK_BIN"), "create"};
  const auto connection = sample.connection_args();
  argv.insert(argv.end(), connection.begin(), connection.end());
  argv.insert(argv.end(),
              {"--output-dir",
               (dir / "out").string(),
               "--metrics-file",
               (dir / "metrics" / "postal_backup.prom").string()});
  TempDir logs;
  ::setenv("POSTAL_BACKUP_PAUSEPOINT", "metrics.before_write=5000", 1);
  BackgroundProcess create(argv, logs.path());
  ::unsetenv("POSTAL_BACKUP_PAUSEPOINT");
  std::vector<fs::path> archives;
  for (int i = 0; i < 12000 && archives.empty(); ++i) {
    for (const auto& file : files_in(dir / "out")) {
      if (file.extension() == ".tar") {
        archives.push_back(file);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_TEST_REQUIRE(archives.size() == 1u, "no archive appeared");
  fs::remove_all(dir / "metrics"); // while the run waits before its metrics
  BOOST_TEST(create.wait() == 2, create.err());
  BOOST_TEST(contains(create.err(), "the create itself succeeded (wrote " + archives[0].string()),
             create.err());
  BOOST_TEST(contains(create.err(), "do not run it again"), create.err());
  BOOST_TEST(files_in(dir / "out") == archives);
}

// Lost if it failed: archives of the documented cron line and unit (Postal's Docker install)
// would record Postal version "unknown", and every plan and restore of them would go by the
// schema level alone; or a `latest` tag would be recorded as if it were a release.
BOOST_AUTO_TEST_CASE(postal_compose_records_the_version_the_containers_run) {
  PostalSample sample(test_server(), {"20240311205229", "20", 1, 5, 0, 25});
  TempDir dir;
  const auto compose = dir / "docker-compose.yml";
  std::ofstream(compose) << "services:\n  web:\n    image: ghcr.io/postalserver/postal:3.3.4\n"
                            "  smtp:\n    image: ghcr.io/postalserver/postal:3.3.4\n";
  auto create = sample.connection_args();
  create.insert(create.begin(), "create");
  const auto archive = (dir / "backup.tar").string();
  const auto created =
      run_tool(with(create, {"--postal-compose", compose.string(), "--output", archive}));
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const auto inspected = run_tool({"inspect", "--json", archive});
  BOOST_TEST_REQUIRE(inspected.exit_code == 0, inspected.err);
  const auto postal = nlohmann::json::parse(inspected.out).at("postal");
  BOOST_TEST(postal.at("version").get<std::string>() == "3.3.4");
  BOOST_TEST(postal.at("version_source").get<std::string>() == "postal_compose");

  std::ofstream(compose) << "services:\n  web:\n    image: ghcr.io/postalserver/postal:latest\n";
  const auto other = (dir / "latest.tar").string();
  const auto refused =
      run_tool(with(create, {"--postal-compose", compose.string(), "--output", other, "--quiet"}));
  check_one_line_failure(refused, 2, "create with a `latest` Postal image");
  BOOST_TEST(contains(refused.err, "'latest' names no release"), refused.err);
  BOOST_TEST(!fs::exists(other));
}

// Lost if it failed: cron would mail the operator every night although nothing failed, or
// a failure would drown in lines that a mail filter or a pager cannot summarise.
BOOST_AUTO_TEST_CASE(quiet_is_silent_on_success_and_one_line_on_failure) {
  PostalSample sample(test_server(), {"20180216114344", "18", 1, 10, 0, 22});
  TempDir dir;
  const auto archive = (dir / "backup.tar").string();
  auto create = sample.connection_args();
  create.insert(create.begin(), "create");
  check_silent_success(run_tool(with(create, {"--output", archive, "--quiet"})), "create");
  check_silent_success(run_tool({"--quiet", "verify", archive}), "verify");
  check_silent_success(
      run_tool({"verify", archive, "--quiet", "--metrics-file", (dir / "v.prom").string()}),
      "verify with metrics");
  const auto verified = file_contents(dir / "v.prom");
  BOOST_TEST(contains(verified, "postal_backup_last_exit_code{command=\"verify\"} 0\n"), verified);
  BOOST_TEST(contains(verified,
                      "postal_backup_database_rows{command=\"verify\",database=\""
                          + sample.main_db() + "\"}"),
             verified);
  check_one_line_failure(
      run_tool(with(create, {"--output", archive, "--quiet"})), 2, "create over an existing file");
  check_one_line_failure(
      run_tool({"--quiet", "verify", (dir / "none.tar").string()}), 1, "verify of a missing file");
  check_one_line_failure(run_tool({"--quiet", "create", "--frobnicate"}), 2, "unknown option");

  auto check = sample.connection_args();
  check.insert(check.begin(), {"schema", "check"});
  check_silent_success(run_tool(with(check, {"--quiet"})), "schema check");
  check_one_line_failure(run_tool(with(check, {"--quiet", "--target-version", "2.1.4"})),
                         3,
                         "schema check with migrations pending");

  {
    RestoreTarget empty(test_server(), std::nullopt); // disaster recovery: finishes at once
    const auto restored = dir / "r.prom";
    check_silent_success(
        empty.run("restore", {archive, "--quiet", "--metrics-file", restored.string()}), "restore");
    const auto text = file_contents(restored);
    BOOST_TEST(contains(text, "postal_backup_last_exit_code{command=\"restore\"} 0\n"), text);
    BOOST_TEST(contains(text, "postal_backup_rows{command=\"restore\"} "), text);
    check_silent_success(empty.run("status", {"--quiet"}), "status");
    check_one_line_failure(empty.run("finish", {"--quiet"}), 5, "finish with nothing open");
  }
  RestoreTarget newer(test_server(), "20210727210551"); // a 2.1.4 install: migrations wait
  check_one_line_failure(newer.run("restore", {archive, "--quiet"}), 3, "restore awaiting");
  check_one_line_failure(newer.run("status", {"--quiet"}), 3, "status awaiting");
  check_one_line_failure(newer.run("finish", {"--quiet"}), 3, "finish awaiting");
  check_silent_success(newer.run("rollback", {"--quiet"}), "rollback");
}

BOOST_AUTO_TEST_SUITE_END()
