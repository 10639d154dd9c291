// SPDX-License-Identifier: MIT
#include "core/db/db_error.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
using pbk::core::ExitCode;
using pbk::core::db::DbError;

BOOST_AUTO_TEST_SUITE(DbErrorTest)

// A user would see backups fail on a passing deadlock, or retried forever on a real fault.
BOOST_DATA_TEST_CASE(retryable_only_for_transient_errors,
                     bdata::make({1205U, 1213U, 2006U, 2013U, 1045U, 1146U, 1064U, 2002U, 0U})
                         ^ bdata::make({true, true, true, true, false, false, false, false, false}),
                     code,
                     expected) {
  const DbError error("x", code, "HY000");
  BOOST_TEST(error.retryable() == expected);
}

// A restore would load a member again after a lost connection (whose COMMIT may have
// happened: the rows twice), or give up on a deadlock InnoDB asks the client to retry.
BOOST_DATA_TEST_CASE(deadlock_or_lock_wait_only_for_lost_lock_conflicts,
                     bdata::make({1205U, 1213U, 2006U, 2013U, 1146U, 0U})
                         ^ bdata::make({true, true, false, false, false, false}),
                     code,
                     expected) {
  const DbError error("x", code, "HY000");
  BOOST_TEST(error.is_deadlock_or_lock_wait() == expected);
}

// A user's scripts would misread a database failure if it carried another exit code.
BOOST_AUTO_TEST_CASE(keeps_errno_sqlstate_hints_and_runtime_exit_code) {
  const DbError error("cannot connect", 1045, "28000", {"check the password"});
  BOOST_TEST(error.mysql_errno() == 1045U);
  BOOST_TEST(error.sqlstate() == "28000");
  BOOST_TEST(std::string(error.what()) == "cannot connect");
  BOOST_TEST(error.hints().size() == 1U);
  BOOST_TEST((error.code() == ExitCode::runtime));
}

BOOST_AUTO_TEST_SUITE_END()
