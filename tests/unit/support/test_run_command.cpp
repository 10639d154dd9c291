// SPDX-License-Identifier: MIT
#include "tests/support/run_command.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>

using pbk::test::run_command;

BOOST_AUTO_TEST_SUITE(RunCommandTest)

// A developer would trust CLI tests that cannot see the exit code, stdout or stderr.
BOOST_AUTO_TEST_CASE(captures_exit_code_output_and_feeds_stdin) {
  const auto result = run_command({"sh", "-c", "cat; echo \"$PBK_X\" >&2; exit 3"},
                                  std::string(300000, 'a'),
                                  {"PBK_X=from env"});
  BOOST_TEST(result.exit_code == 3);
  BOOST_TEST(result.out == std::string(300000, 'a'));
  BOOST_TEST(result.err == "from env\n");
}

// A developer would get a hanging or passing test instead of a clear error for a bad argv[0].
BOOST_AUTO_TEST_CASE(reports_signal_and_missing_program) {
  BOOST_TEST(run_command({"sh", "-c", "kill -TERM $$"}).exit_code == 128 + 15);
  BOOST_CHECK_THROW((void)run_command({"pbk-no-such-program"}), std::runtime_error);
  // A program that ignores its input must not kill the test with SIGPIPE.
  BOOST_TEST(run_command({"true"}, std::string(1 << 20, 'x')).exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()
