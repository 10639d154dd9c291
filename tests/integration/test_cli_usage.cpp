// SPDX-License-Identifier: MIT
// The command line as a user and a wrapper script meet it: every mistake gives one
// `postal-backup: error:` line naming it, and the documented exit code (README "Exit codes").
// Most cases need no database; the one that needs a real archive runs with the test server.
#include "tests/support/postal_sample.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

using namespace pbk::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool starts_with(const std::string& text, const std::string& head) {
  return text.rfind(head, 0) == 0;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A usage error: exit 2, the error line first, nothing on stdout.
void check_usage_error(const CommandResult& result, const std::string& named) {
  BOOST_TEST(result.exit_code == 2, "exit " << result.exit_code << ": " << result.err);
  BOOST_TEST(starts_with(result.err, "postal-backup: error: "), result.err);
  BOOST_TEST(contains(result.err.substr(0, result.err.find('\n')), named), result.err);
  BOOST_TEST(result.out.empty(), result.out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(CliUsage)

// Lost if it failed: an operator writing a cron wrapper could not learn from --help which exit
// codes mean "alert" and which mean "run it again".
BOOST_AUTO_TEST_CASE(help_lists_every_exit_code) {
  const auto result = run_tool({"--help"});
  BOOST_TEST(result.exit_code == 0);
  for (const char* line : {"0  success",
                           "1  runtime error",
                           "2  usage error",
                           "3  migrations pending",
                           "4  integrity failure",
                           "5  refused by policy",
                           "130 interrupted"}) {
    BOOST_TEST(contains(result.out, line), "--help lacks '" << line << "'");
  }
  for (const char* command : {"create", "verify", "inspect", "plan", "catalog", "schema"}) {
    BOOST_TEST(contains(result.out, command));
  }
}

// Lost if it failed: a bug report or an inventory script could not tell which release made
// an archive or is installed.
BOOST_AUTO_TEST_CASE(version_prints_the_version) {
  const auto result = run_tool({"--version"});
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out == std::string("postal-backup ") + PBK_VERSION + "\n");
}

// Lost if it failed: a typo in a cron line (`postal-backup crate`) would be reported as
// something else, or, worse, exit 0 and back up nothing.
BOOST_AUTO_TEST_CASE(unknown_subcommand_is_a_usage_error_naming_it) {
  check_usage_error(run_tool({"frobnicate"}), "frobnicate");
  check_usage_error(run_tool({"frobnicate", "x.tar"}), "frobnicate");
}

// Lost if it failed: a misspelt option would be ignored or reported as a different mistake,
// so the backup the operator asked for is not the one that runs.
BOOST_AUTO_TEST_CASE(unknown_option_is_a_usage_error_naming_it) {
  check_usage_error(run_tool({"create", "--frobnicate"}), "--frobnicate");
  check_usage_error(run_tool({"--frobnicate"}), "--frobnicate");
  check_usage_error(run_tool({"verify", "--level", "3", "x.tar"}), "--level");
}

// Lost if it failed: `postal-backup` with no command, or a verify without its archive,
// would look like success to a wrapper.
BOOST_AUTO_TEST_CASE(missing_command_or_archive_is_a_usage_error) {
  check_usage_error(run_tool({}), "command");
  check_usage_error(run_tool({"verify"}), "archive");
  check_usage_error(run_tool({"inspect"}), "archive");
}

// Lost if it failed: a password typed on the command line would be visible in `ps` and the
// shell history, and the user would not learn the safe way to pass it.
BOOST_AUTO_TEST_CASE(password_on_the_command_line_is_refused) {
  const auto result = run_tool({"create", "--password", "secret", "--output-dir", "/nonexistent"});
  check_usage_error(result, "password");
  BOOST_TEST(contains(result.err, "--password-file"), result.err);
  BOOST_TEST(!contains(result.err, "secret"), "the password was echoed: " << result.err);
}

// Lost if it failed: a create without a destination would connect, read every database and
// then fail (or write somewhere unexpected).
BOOST_AUTO_TEST_CASE(create_needs_exactly_one_destination) {
  check_usage_error(run_tool({"create", "--socket", "/nonexistent/sock"}), "--output");
  check_usage_error(run_tool({"create", "--output", "x.tar", "--output-dir", "/tmp"}), "--output");
}

// Lost if it failed: the JSON summary and the archive would be interleaved on standard output,
// so the piped backup is corrupt.
BOOST_AUTO_TEST_CASE(json_and_archive_on_stdout_conflict) {
  const auto result = run_tool({"--json", "create", "--output", "-", "--socket", "/nonexistent"});
  BOOST_TEST(result.exit_code == 2, result.err);
  BOOST_TEST(starts_with(result.err, "postal-backup: error: "), result.err);
  BOOST_TEST(contains(result.err, "--json"), result.err);
  // --json still reports the failure as its one JSON document.
  const auto document = nlohmann::json::parse(result.out);
  BOOST_TEST(document.at("ok").get<bool>() == false);
  BOOST_TEST(document.at("exit_code").get<int>() == 2);
}

// Lost if it failed: a tag with a space or a slash would end up in the archive's file name and
// break the scripts that list and rotate backups.
BOOST_AUTO_TEST_CASE(unsafe_tag_is_a_usage_error) {
  for (const char* tag : {"a b", "../x", "a/b"}) {
    check_usage_error(run_tool({"create", "--output-dir", "/tmp", "--tag", tag}), "--tag");
  }
}

// Lost if it failed: verifying a backup that is not there (wrong path in a script) would not
// say which file is missing.
BOOST_AUTO_TEST_CASE(verify_of_a_missing_file_names_it) {
  TempDir dir;
  const auto missing = (dir / "nightly.tar").string();
  const auto result = run_tool({"verify", missing});
  BOOST_TEST(result.exit_code == 1, result.err);
  BOOST_TEST(starts_with(result.err, "postal-backup: error: "), result.err);
  BOOST_TEST(contains(result.err, missing), result.err);
  BOOST_TEST(contains(result.err, "No such file or directory"), result.err);
}

// Lost if it failed: a file that is no archive at all (an empty upload, a wrong file, a tar of
// something else) would be passed as a good backup, or reported as a runtime failure.
BOOST_AUTO_TEST_CASE(verify_of_something_that_is_no_archive_is_an_integrity_failure) {
  TempDir dir;
  std::mt19937 rng(42);
  std::string noise(100000, '\0');
  for (auto& c : noise) {
    c = static_cast<char>(rng());
  }
  replace_file(dir / "random.tar", noise);
  replace_file(dir / "empty.tar", "");
  replace_file(dir / "hello.txt", "hello\n");
  const auto tarred = run_command(
      {"tar", "-cf", (dir / "plain.tar").string(), "-C", dir.path().string(), "hello.txt"});
  BOOST_TEST_REQUIRE(tarred.exit_code == 0, tarred.err);
  for (const char* name : {"random.tar", "empty.tar", "plain.tar"}) {
    const auto path = (dir / name).string();
    for (const char* command : {"verify", "inspect"}) {
      const auto result = run_tool({command, path});
      BOOST_TEST(result.exit_code == 4, command << " " << name << ": " << result.err);
      BOOST_TEST(starts_with(result.err, "postal-backup: error: "), result.err);
      BOOST_TEST(contains(result.err, path), result.err);
      BOOST_TEST(result.out.empty());
    }
  }
  BOOST_TEST(line_count(run_tool({"--quiet", "verify", (dir / "plain.tar").string()}).err) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(CliUsageWithArchive, *boost::unit_test::precondition(require_server))

// Lost if it failed: a script piping `inspect --json` into jq would choke on a progress line
// or a second document, and monitoring of backups would break.
BOOST_AUTO_TEST_CASE(inspect_json_prints_one_document_and_nothing_else) {
  const auto& server = test_server();
  PostalSample sample(server, {"20240311205229", "20", 1, 10, 0, 11});
  TempDir dir;
  const auto archive = (dir / "x.tar").string();
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", archive, "--quiet"});
  BOOST_TEST_REQUIRE(run_tool(args).exit_code == 0);
  const auto result = run_tool({"inspect", "--json", archive});
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  BOOST_TEST(result.err.empty(), result.err);
  nlohmann::json document;
  BOOST_CHECK_NO_THROW(document = nlohmann::json::parse(result.out)); // rejects trailing text
  BOOST_TEST(document.is_object());
  BOOST_TEST(document.at("complete").get<bool>());
  BOOST_TEST(document.at("databases").size() == 2u);
  BOOST_TEST(line_count(result.out) > 1u); // pretty-printed, ends in a newline
  BOOST_TEST(result.out.back() == '\n');
}

BOOST_AUTO_TEST_SUITE_END()
