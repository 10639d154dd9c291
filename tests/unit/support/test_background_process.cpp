// SPDX-License-Identifier: MIT
#include "tests/support/background_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <stdexcept>

using pbk::test::BackgroundProcess;
using pbk::test::TempDir;

BOOST_AUTO_TEST_SUITE(BackgroundProcessTest)

// A developer would trust interruption tests that cannot see the exit code or the output.
BOOST_AUTO_TEST_CASE(captures_exit_code_and_output) {
  TempDir dir;
  BackgroundProcess process({"sh", "-c", "echo out; echo err >&2; exit 3"}, dir.path());
  BOOST_TEST(process.wait() == 3);
  BOOST_TEST(process.out() == "out\n");
  BOOST_TEST(process.err() == "err\n");
}

// A SIGTERM test would hang, or pass without the program seeing the signal.
BOOST_AUTO_TEST_CASE(delivers_signals_and_reports_them) {
  TempDir dir;
  BackgroundProcess process({"sleep", "30"}, dir.path());
  process.signal(SIGSTOP);
  process.signal(SIGTERM);
  process.signal(SIGCONT);
  BOOST_TEST(process.wait() == 128 + SIGTERM);
  BOOST_CHECK_THROW(process.signal(SIGTERM), std::runtime_error);
  BOOST_CHECK_THROW(BackgroundProcess({"pbk-no-such-program"}, dir.path()), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
