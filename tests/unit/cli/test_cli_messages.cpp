// SPDX-License-Identifier: MIT
// What the command line says to an operator who mistypes, asks for help or lists a backup
// directory, word for word where the words are the contract (golden lines), on the real
// binary; no database needed.
#include "cli/command_typos.hpp"
#include "cli/output_mode.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>

using pbk::cli::text_columns;
using pbk::test::run_tool;

namespace {

const std::filesystem::path k_fixtures =
    std::filesystem::path(PBK_SOURCE_DIR) / "tests" / "fixtures" / "archives";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

// A usage error: exit 2, `line` as the first line of stderr, nothing on stdout.
void check_error(const std::vector<std::string>& args, const std::string& line) {
  const auto result = run_tool(args);
  BOOST_TEST(result.exit_code == 2, result.err);
  BOOST_TEST(first_line(result.err) == "postal-backup: error: " + line);
  BOOST_TEST(result.out.empty(), result.out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(CliMessages)

// Lost if it failed: a typo in a cron line or at the prompt would get the parser's raw
// message ("A subcommand is required", arguments in reverse order) and no way forward.
BOOST_AUTO_TEST_CASE(a_mistyped_command_or_option_is_named_with_a_suggestion) {
  check_error({"creat"}, "unknown command 'creat' \u2014 did you mean create?");
  check_error({"create", "--output-dri", "/var/backups"},
              "unknown option '--output-dri' for create \u2014 did you mean --output-dir?");
  check_error({"create", "--output-dri=/var/backups"},
              "unknown option '--output-dri' for create \u2014 did you mean --output-dir?");
  check_error({"schema", "chek"},
              "unknown command 'schema chek' \u2014 did you mean schema check?");
  check_error({"--json", "retore", "x.tar"},
              "unknown command 'retore' \u2014 did you mean restore?");
  check_error({"help", "creat"}, "unknown command 'creat' \u2014 did you mean create?");
}

// Lost if it failed: an operator who typed something unlike any command would not learn
// which commands exist (the old message left out restore, finish, status and rollback).
BOOST_AUTO_TEST_CASE(no_command_or_an_unknown_one_lists_every_command) {
  const std::string all = "create, verify, inspect, catalog, plan, restore, finish, status, "
                          "rollback, drill, doctor, list, prune, export, schema, help";
  check_error({}, "no command given: name one of " + all);
  check_error({"frobnicate"}, "unknown command 'frobnicate': the commands are " + all);
}

// Lost if it failed: --quiet promises one line per failure to cron, hints included.
BOOST_AUTO_TEST_CASE(quiet_typo_is_one_line) {
  const auto result = run_tool({"--quiet", "creat"});
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(occurrences(result.err, "\n") == 1U, result.err);
}

// Lost if it failed: `postal-backup help restore`, the first thing many operators type, would
// be an error; the examples and metavars would not say what a value is.
BOOST_AUTO_TEST_CASE(help_shows_a_command_with_metavars_and_examples) {
  const auto top = run_tool({"help"});
  BOOST_TEST(top.exit_code == 0, top.err);
  BOOST_TEST(contains(top.out, "Usage: postal-backup"), top.out);
  BOOST_TEST(occurrences(top.out, "130 interrupted") == 1U, top.out);

  const auto restore = run_tool({"help", "restore"});
  BOOST_TEST(restore.exit_code == 0, restore.err);
  BOOST_TEST(restore.out == run_tool({"restore", "--help"}).out);
  BOOST_TEST(contains(restore.out, "Usage: postal-backup restore"), restore.out);
  BOOST_TEST(contains(restore.out, "Examples:\n  postal-backup restore "), restore.out);
  BOOST_TEST(contains(restore.out, "--config FILE "), restore.out);
  BOOST_TEST(contains(restore.out, "--config-dest DIR "), restore.out);
  BOOST_TEST(contains(restore.out, "--threads N [1 - 16]"), restore.out);
  // The exit codes are listed once, in the top-level help; a command's help points there.
  BOOST_TEST(!contains(restore.out, "130 interrupted"), restore.out);
  BOOST_TEST(contains(restore.out, "'postal-backup help' lists them"), restore.out);

  const auto check = run_tool({"help", "schema", "check"});
  BOOST_TEST(check.exit_code == 0, check.err);
  BOOST_TEST(contains(check.out, "Usage: postal-backup schema check"), check.out);
  BOOST_TEST(contains(check.out, "postal-backup schema check --config"), check.out);
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"create"},
                                             {"verify"},
                                             {"inspect"},
                                             {"catalog"},
                                             {"plan"},
                                             {"restore"},
                                             {"finish"},
                                             {"status"},
                                             {"rollback"},
                                             {"list"},
                                             {"prune"},
                                             {"schema", "hash"}}) {
    auto args = command;
    args.emplace_back("--help");
    const auto text = run_tool(args);
    BOOST_TEST(occurrences(text.out, "\n  postal-backup ") >= 2U, args.front() << ": " << text.out);
    BOOST_TEST(!contains(text.out, " TEXT"), args.front() << ": " << text.out);
  }
}

// Lost if it failed: a suggestion for a word that is not near any command would mislead, and
// one for a near word would be missed.
BOOST_AUTO_TEST_CASE(suggestions_are_near_words_only) {
  using pbk::cli::closest;
  const std::vector<std::string> commands{"create", "restore", "status", "schema"};
  BOOST_TEST(closest("crate", commands).value_or("") == "create");
  BOOST_TEST(closest("retsore", commands).value_or("") == "restore");
  BOOST_TEST(!closest("frobnicate", commands));
  BOOST_TEST(!closest("xy", commands));
  BOOST_TEST(closest("user", {"host", "username", "password"}).value_or("") == "username");
  BOOST_TEST(pbk::cli::edit_distance("chek", "check") == 1U);
  BOOST_TEST(pbk::cli::edit_distance("--output-dri", "--output-dir") == 1U);
}

// Lost if it failed: `list` would misalign its table on the release ranges most archives carry,
// not say which backups are encrypted or signed, not say why a file is incomplete, and give no
// total.
BOOST_AUTO_TEST_CASE(list_sizes_columns_says_protection_and_why_incomplete) {
  pbk::test::TempDir dir;
  for (const char* name :
       {"good.tar", "good-encrypted.tar", "good-signed.tar", "truncated-before-manifest.tar"}) {
    std::filesystem::copy_file(k_fixtures / name, dir / name);
  }
  const auto result = run_tool({"list", dir.path().string()});
  BOOST_TEST(result.exit_code == 0, result.err);
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; (end = result.out.find('\n', at)) != std::string::npos;
       at = end + 1) {
    lines.push_back(result.out.substr(at, end - at));
  }
  BOOST_TEST_REQUIRE(lines.size() == 7U, result.out);
  // Every row's FILE column starts where the header's does, counted in what the terminal
  // shows (the release ranges hold "…" and "–").
  const auto file_column = text_columns(lines[0]) - text_columns("FILE");
  for (std::size_t i = 1; i <= 4; ++i) {
    const auto name = lines[i].substr(lines[i].rfind(' ') + 1);
    BOOST_TEST(name.ends_with(".tar"), lines[i]);
    BOOST_TEST(text_columns(lines[i]) - text_columns(name) == file_column, lines[i]);
  }
  BOOST_TEST(contains(result.out, "encrypted "), result.out);
  BOOST_TEST(contains(result.out, "signed "), result.out);
  BOOST_TEST(lines[5].starts_with("incomplete: truncated-before-manifest.tar: "), lines[5]);
  BOOST_TEST(lines[6].starts_with("4 backups (3 complete, 1 incomplete), "), lines[6]);
}

// Lost if it failed: on a Docker install whose postal.yml sets no host, the operator would get
// a generic socket error, with no word that "localhost" was Postal's default and the
// database is at 127.0.0.1; and `user:` for `username:` would pass unnoticed.
BOOST_AUTO_TEST_CASE(a_3x_config_without_a_host_names_the_default_and_docker) {
  pbk::test::TempDir dir;
  const auto config = dir / "postal.yml";
  pbk::test::replace_file(config, "version: 2\nmain_db:\n  user: backup\n");
  // The client library's default socket, moved where no server listens.
  const auto result = run_tool({"schema", "hash", "--config", config.string()},
                               {"MYSQL_UNIX_PORT=" + (dir / "none.sock").string()});
  BOOST_TEST(result.exit_code == 1, result.err);
  BOOST_TEST(first_line(result.err)
                 == "postal-backup: warning: " + config.string()
                        + ": main_db.user is not a key Postal reads \u2014 did you mean "
                          "main_db.username?: ignored",
             result.err);
  BOOST_TEST(contains(result.err,
                      "hint: the host 'localhost' is Postal 3.x's default: " + config.string()
                          + " sets no main_db.host (nor MAIN_DB_HOST)"),
             result.err);
  BOOST_TEST(contains(result.err, "for a database in Docker add --host 127.0.0.1"), result.err);
}

BOOST_AUTO_TEST_SUITE_END()
