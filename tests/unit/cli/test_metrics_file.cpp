// SPDX-License-Identifier: MIT
// The Prometheus text of --metrics-file: names, HELP/TYPE lines, labels and their escaping,
// reading the previous success back, and the atomic write that keeps it across failures.
#include "cli/metrics_file.hpp"
#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

using namespace pbk::cli;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A metrics file enabled for `create`, as `--metrics-file PATH` gives it.
struct EnabledMetrics {
  explicit EnabledMetrics(const std::filesystem::path& path) {
    file.add_option(*app.add_subcommand("create"));
    const std::string arg = path.string();
    const char* argv[] = {"postal-backup", "create", "--metrics-file", arg.c_str()};
    app.parse(4, argv);
  }

  CLI::App app;
  MetricsFile file;
};

struct stat lstat_of(const std::filesystem::path& path) {
  struct stat st {};

  BOOST_REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

RunMetrics successful_create() {
  RunMetrics metrics;
  metrics.command = "create";
  metrics.exit_code = 0;
  metrics.finished_at = 1767225600;
  metrics.last_success = 1767225600;
  metrics.duration_seconds = 12.5;
  metrics.totals =
      RunTotals{1500,
                4096,
                65536,
                std::nullopt,
                {{"postal", 1000, 3000, 50000}, {"postal-server-1", 500, 1096, 15536}}};
  return metrics;
}

using pbk::archive::MemberKind;

pbk::archive::MemberRecord member(MemberKind kind,
                                  const std::string& database,
                                  std::uint64_t size,
                                  std::uint64_t raw_size,
                                  std::uint64_t rows) {
  pbk::archive::MemberRecord record;
  record.kind = kind;
  record.database = database;
  record.size = size;
  record.raw_size = raw_size;
  record.rows = rows;
  return record;
}

} // namespace

BOOST_AUTO_TEST_SUITE(MetricsFile)

// Lost if it failed: node_exporter would reject the file (a sample without TYPE, a malformed
// line) and every backup metric would vanish from monitoring without an alert.
BOOST_AUTO_TEST_CASE(success_has_every_metric_with_help_and_type) {
  const auto text = format_metrics(successful_create());
  for (const char* name : {"last_success_timestamp_seconds",
                           "last_run_timestamp_seconds",
                           "last_exit_code",
                           "duration_seconds",
                           "bytes_stored",
                           "bytes_raw",
                           "rows",
                           "database_rows",
                           "database_bytes_stored",
                           "database_bytes_raw"}) {
    const std::string full = std::string("postal_backup_") + name;
    BOOST_TEST(contains(text, "# HELP " + full + " "), full);
    BOOST_TEST(contains(text, "# TYPE " + full + " gauge\n"), full);
  }
  BOOST_TEST(contains(text,
                      "postal_backup_last_success_timestamp_seconds{command=\"create\"} "
                      "1767225600\n"));
  BOOST_TEST(contains(text, "postal_backup_last_exit_code{command=\"create\"} 0\n"));
  BOOST_TEST(contains(text, "postal_backup_duration_seconds{command=\"create\"} 12.500\n"));
  BOOST_TEST(contains(text, "postal_backup_bytes_stored{command=\"create\"} 4096\n"));
  BOOST_TEST(contains(text, "postal_backup_rows{command=\"create\"} 1500\n"));
  BOOST_TEST(contains(text,
                      "postal_backup_database_rows{command=\"create\",database=\"postal-server-1\"}"
                      " 500\n"));
  BOOST_TEST(contains(text,
                      "postal_backup_database_bytes_raw{command=\"create\",database=\"postal\"} "
                      "50000\n"));
  BOOST_TEST(text.back() == '\n');
}

// Lost if it failed: a dashboard could not tell an incremental night's stored bytes from what
// it referenced, and a full backup would report a referenced size it does not have.
BOOST_AUTO_TEST_CASE(referenced_bytes_only_for_incremental_backups) {
  auto metrics = successful_create();
  BOOST_TEST(!contains(format_metrics(metrics), "bytes_referenced"));
  metrics.totals->bytes_referenced = 123456;
  const auto text = format_metrics(metrics);
  BOOST_TEST(contains(text, "# TYPE postal_backup_bytes_referenced gauge\n"));
  BOOST_TEST(contains(text, "postal_backup_bytes_referenced{command=\"create\"} 123456\n"));
}

// Lost if it failed: a failed run would report the sizes of a backup that does not exist,
// hiding the failure on a size dashboard.
BOOST_AUTO_TEST_CASE(failure_without_totals_has_only_the_run_metrics) {
  auto metrics = successful_create();
  metrics.exit_code = 1;
  metrics.last_success = 1767139200;
  metrics.totals.reset();
  const auto text = format_metrics(metrics);
  BOOST_TEST(contains(text, "postal_backup_last_exit_code{command=\"create\"} 1\n"));
  BOOST_TEST(contains(text,
                      "postal_backup_last_success_timestamp_seconds{command=\"create\"} "
                      "1767139200\n"));
  BOOST_TEST(!contains(text, "bytes_stored"));
  BOOST_TEST(!contains(text, "database_rows"));
}

// Lost if it failed: an alert on drills that stopped passing would have no series of its own
// (only the command label), or a failed drill would reset the age of the last good one.
BOOST_AUTO_TEST_CASE(a_drill_has_its_own_success_duration_and_bytes) {
  auto metrics = successful_create();
  BOOST_TEST(!contains(format_metrics(metrics), "drill_"));
  metrics.command = "drill";
  auto text = format_metrics(metrics);
  BOOST_TEST(contains(text, "# TYPE postal_backup_drill_last_success_timestamp_seconds gauge\n"));
  BOOST_TEST(contains(
      text, "postal_backup_drill_last_success_timestamp_seconds{command=\"drill\"} 1767225600\n"));
  BOOST_TEST(contains(text, "postal_backup_drill_duration_seconds{command=\"drill\"} 12.500\n"));
  BOOST_TEST(contains(text, "postal_backup_drill_bytes{command=\"drill\"} 65536\n"));
  metrics.exit_code = 4;
  metrics.last_success = 1767139200;
  metrics.totals.reset();
  text = format_metrics(metrics);
  BOOST_TEST(contains(
      text, "postal_backup_drill_last_success_timestamp_seconds{command=\"drill\"} 1767139200\n"));
  BOOST_TEST(parse_last_success(text).value() == 1767139200);
  BOOST_TEST(!contains(text, "drill_bytes"));
}

// Lost if it failed: a database name with a quote or backslash would break the whole file.
BOOST_AUTO_TEST_CASE(label_values_are_escaped) {
  auto metrics = successful_create();
  metrics.totals->databases = {{"we\"ird\\name\n", 1, 2, 3}};
  const auto text = format_metrics(metrics);
  BOOST_TEST(contains(text, "database=\"we\\\"ird\\\\name\\n\"} 1\n"), text);
}

// Lost if it failed: after a failed night the age of the last good backup would reset to
// "never" (a false alarm) or to now (a missed one).
BOOST_AUTO_TEST_CASE(last_success_is_read_back_from_a_previous_file) {
  BOOST_TEST(parse_last_success(format_metrics(successful_create())).value() == 1767225600);
  BOOST_TEST(parse_last_success("postal_backup_last_success_timestamp_seconds 1.7e9\n").value()
             == 1700000000);
  BOOST_TEST(!parse_last_success("").has_value());
  BOOST_TEST(!parse_last_success("postal_backup_last_success_timestamp_seconds_x 5\n"
                                 "# postal_backup_last_success_timestamp_seconds 6\n")
                  .has_value());
  BOOST_TEST(!parse_last_success("postal_backup_last_success_timestamp_seconds{x=\"1\"} abc\n")
                  .has_value());
}

// Lost if it failed: the per-database series would double count or leave out a database.
BOOST_AUTO_TEST_CASE(database_metrics_sum_each_database_members) {
  pbk::archive::Manifest manifest;
  manifest.members = {member(MemberKind::backup_info, "", 100, 100, 0),
                      member(MemberKind::schema, "postal", 10, 40, 0),
                      member(MemberKind::rows, "postal", 20, 90, 7),
                      member(MemberKind::config, "", 30, 60, 0),
                      member(MemberKind::rows, "m-1", 5, 9, 2),
                      member(MemberKind::rows, "postal", 1, 3, 1)};
  const auto list = database_metrics(manifest);
  BOOST_TEST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0].name == "postal");
  BOOST_TEST(list[0].rows == 8u);
  BOOST_TEST(list[0].bytes_stored == 31u);
  BOOST_TEST(list[0].bytes_raw == 93u);
  BOOST_TEST(list[1].name == "m-1");
  BOOST_TEST(list[1].rows == 2u);
}

// Lost if it failed: a disabled metrics file would still be written somewhere, or an
// enabled one would be unreadable for node_exporter (running as another user).
BOOST_AUTO_TEST_CASE(write_is_atomic_world_readable_and_keeps_the_last_success) {
  pbk::test::TempDir dir;
  const auto path = dir / "postal_backup.prom";
  const std::string old = "postal_backup_last_success_timestamp_seconds{command=\"create\"} 42\n";
  { std::ofstream(path) << old; }
  CLI::App app;
  auto* command = app.add_subcommand("create");
  pbk::cli::MetricsFile file;
  file.add_option(*command);
  BOOST_TEST(!file.write(0)); // not enabled: nothing happens
  BOOST_TEST(read_text(path) == old);
  const std::string arg = path.string();
  const char* argv[] = {"postal-backup", "create", "--metrics-file", arg.c_str()};
  app.parse(4, argv);
  BOOST_TEST_REQUIRE(file.enabled());
  BOOST_TEST(!file.write(1));
  const auto text = read_text(path);
  BOOST_TEST(contains(text, "last_success_timestamp_seconds{command=\"create\"} 42\n"), text);
  BOOST_TEST(contains(text, "last_exit_code{command=\"create\"} 1\n"), text);
  BOOST_TEST(!std::filesystem::exists(path.string() + ".partial"));

  struct stat st {};

  BOOST_TEST_REQUIRE(::stat(path.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0644u);
  file.record({1, 2, 3, {}, {}});
  BOOST_TEST(!file.write(0));
  BOOST_TEST(!contains(read_text(path), "timestamp_seconds{command=\"create\"} 42\n"));
  BOOST_TEST(contains(read_text(path), "postal_backup_rows{command=\"create\"} 1\n"));
}

// Lost if it failed: whoever can create a file in the metrics directory could make a backup
// running as root truncate and rewrite any file (and change its mode) through a symbolic link
// planted at the .partial name.
BOOST_AUTO_TEST_CASE(a_link_planted_at_the_partial_is_never_written_through) {
  pbk::test::TempDir dir;
  const auto path = dir / "postal_backup.prom";
  const auto victim = dir / "victim";
  { std::ofstream(victim) << "precious\n"; }
  std::filesystem::permissions(victim, std::filesystem::perms(0600));
  std::filesystem::create_symlink(victim, path.string() + ".partial");
  EnabledMetrics checked(path);
  BOOST_CHECK_THROW(checked.file.check_writable(), pbk::core::Error); // before any work
  EnabledMetrics metrics(path);
  BOOST_CHECK_THROW((void)metrics.file.write(0), pbk::core::Error);
  BOOST_TEST(read_text(victim) == "precious\n");
  BOOST_TEST((lstat_of(victim).st_mode & 0777) == 0600u);
  BOOST_TEST(S_ISLNK(lstat_of(path.string() + ".partial").st_mode)); // left for the operator
}

// Lost if it failed: a symbolic link planted at the metrics file's own name would make the
// write replace (or the failed run read) the file it points to.
BOOST_AUTO_TEST_CASE(a_link_planted_at_the_final_name_is_replaced_not_followed) {
  pbk::test::TempDir dir;
  const auto path = dir / "postal_backup.prom";
  const auto victim = dir / "victim";
  const std::string old = "postal_backup_last_success_timestamp_seconds 42\n";
  { std::ofstream(victim) << old; }
  std::filesystem::permissions(victim, std::filesystem::perms(0600));
  std::filesystem::create_symlink(victim, path);
  EnabledMetrics metrics(path);
  const auto note = metrics.file.write(1);
  BOOST_TEST_REQUIRE(note.has_value());
  BOOST_TEST(contains(*note, "not a regular file"), *note);
  BOOST_TEST(read_text(victim) == old);
  BOOST_TEST((lstat_of(victim).st_mode & 0777) == 0600u);
  BOOST_TEST(S_ISREG(lstat_of(path).st_mode));
  // The link's success time was not believed.
  BOOST_TEST(contains(read_text(path), "last_success_timestamp_seconds{command=\"create\"} 0\n"));
}

// Lost if it failed: a leftover .partial of a killed run would stop every later metrics
// write, so the alerts would go stale.
BOOST_AUTO_TEST_CASE(a_leftover_partial_of_our_own_is_replaced) {
  pbk::test::TempDir dir;
  const auto path = dir / "postal_backup.prom";
  { std::ofstream(path.string() + ".partial") << "half"; }
  EnabledMetrics metrics(path);
  BOOST_TEST(!metrics.file.write(0));
  BOOST_TEST(contains(read_text(path), "last_exit_code{command=\"create\"} 0\n"));
  BOOST_TEST(!std::filesystem::exists(path.string() + ".partial"));
}

// Lost if it failed: a FIFO planted as the previous metrics file would hang every failing run
// forever, and /dev/zero behind a link would end it in std::terminate (exit 134).
BOOST_AUTO_TEST_CASE(a_fifo_or_device_as_the_previous_file_is_ignored_at_once) {
  for (const bool fifo : {true, false}) {
    pbk::test::TempDir dir;
    const auto path = dir / "postal_backup.prom";
    if (fifo) {
      BOOST_REQUIRE(::mkfifo(path.c_str(), 0644) == 0);
    } else {
      std::filesystem::create_symlink("/dev/zero", path);
    }
    EnabledMetrics metrics(path);
    const auto started = std::chrono::steady_clock::now();
    const auto note = metrics.file.write(1);
    BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(5)));
    BOOST_TEST(note.has_value());
    BOOST_TEST(S_ISREG(lstat_of(path).st_mode));
    BOOST_TEST(contains(read_text(path), "last_exit_code{command=\"create\"} 1\n"));
  }
}

// Lost if it failed: a huge previous file would be read whole into memory by every failing run.
BOOST_AUTO_TEST_CASE(a_previous_file_over_a_mebibyte_is_ignored) {
  pbk::test::TempDir dir;
  const auto path = dir / "postal_backup.prom";
  {
    std::ofstream out(path);
    out << "postal_backup_last_success_timestamp_seconds 42\n" << std::string(2 << 20, '#');
  }
  EnabledMetrics metrics(path);
  const auto note = metrics.file.write(1);
  BOOST_TEST(note.has_value());
  BOOST_TEST(contains(read_text(path), "last_success_timestamp_seconds{command=\"create\"} 0\n"));
}

// Lost if it failed: a metrics file that cannot be written would be exit 1 after the work,
// which a wrapper retries ("no archive was left"): every retry of a successful create writes
// one more archive. Exit 2 instead, and the message says the work itself succeeded.
BOOST_AUTO_TEST_CASE(an_unwritable_metrics_file_is_exit_2_and_says_the_work_succeeded) {
  pbk::test::TempDir dir;
  const auto path = dir / "missing" / "postal_backup.prom";
  EnabledMetrics checked(path);
  try {
    checked.file.check_writable();
    BOOST_FAIL("check_writable accepted a missing directory");
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == 2);
    BOOST_TEST(contains(e.what(), "cannot write the metrics file " + path.string()), e.what());
    BOOST_TEST(e.hints().back().find("create " + (dir / "missing").string()) == 0u);
  }
  BOOST_TEST(!checked.file.write(2)); // said once: the end of the run does not repeat it

  EnabledMetrics metrics(path);
  metrics.file.record_result("wrote /backups/a.tar");
  try {
    (void)metrics.file.write(0);
    BOOST_FAIL("write succeeded into a missing directory");
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == 2);
    BOOST_TEST(contains(e.what(),
                        "the create itself succeeded (wrote /backups/a.tar), but the "
                        "metrics file "
                            + path.string()),
               e.what());
  }
  try {
    (void)metrics.file.write(1);
    BOOST_FAIL("write succeeded into a missing directory");
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(!contains(e.what(), "succeeded"), e.what()); // a failed run claims nothing
  }
}

BOOST_AUTO_TEST_SUITE_END()
