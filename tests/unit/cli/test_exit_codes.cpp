// SPDX-License-Identifier: MIT
#include "cli/exit_codes.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;

BOOST_AUTO_TEST_SUITE(ExitCodes)

// Lost if it failed: an ExecStartPre= guard or a cron wrapper would start Postal on a
// database that still needs migrations, or stop on a healthy one: 3 means "migrations
// pending" for plan, restore, status and schema check alike.
BOOST_AUTO_TEST_CASE(migrations_pending_is_3_for_every_command) {
  BOOST_TEST(cli::exit_code_of(postal::Verdict::migrations_required) == 3);
  BOOST_TEST(cli::exit_code_of(postal::SchemaStatus::migrations_pending) == 3);
  BOOST_TEST(cli::exit_code_of(restore::RestoreState::awaiting_migrations) == 3);
  BOOST_TEST(cli::drill_exit_code(true, true) == 3);
}

// Lost if it failed: a refused downgrade, a drifted schema or a damaged backup would not be
// told apart by a script from "try again later".
BOOST_AUTO_TEST_CASE(refusal_drift_and_damage_keep_their_codes) {
  BOOST_TEST(cli::exit_code_of(postal::Verdict::refused) == 5);
  BOOST_TEST(cli::exit_code_of(postal::SchemaStatus::drift) == 4);
  BOOST_TEST(cli::listing_exit_code(true) == 4);
  BOOST_TEST(cli::drill_exit_code(false, false) == 4);
  repository::PruneReport damaged;
  damaged.entries.push_back({});
  damaged.entries.back().verify_error = "member 3 damaged";
  BOOST_TEST(cli::exit_code_of(damaged) == 4);
}

// Lost if it failed: a healthy nightly run would page someone.
BOOST_AUTO_TEST_CASE(success_is_0) {
  BOOST_TEST(cli::exit_code_of(postal::Verdict::ready) == 0);
  BOOST_TEST(cli::exit_code_of(postal::SchemaStatus::healthy) == 0);
  BOOST_TEST(cli::exit_code_of(restore::RestoreState::finished) == 0);
  BOOST_TEST(cli::listing_exit_code(false) == 0);
  BOOST_TEST(cli::drill_exit_code(true, false) == 0);
  BOOST_TEST(cli::exit_code_of(repository::PruneReport{}) == 0);
}

// Lost if it failed: a monitoring check of `doctor` could not tell "change this before the
// next restore" (5) from "worth a look" (3), or information would page someone.
BOOST_AUTO_TEST_CASE(doctor_maps_its_worst_finding) {
  BOOST_TEST(cli::doctor_exit_code(core::Severity::ok) == 0);
  BOOST_TEST(cli::doctor_exit_code(core::Severity::info) == 0);
  BOOST_TEST(cli::doctor_exit_code(core::Severity::warning) == 3);
  BOOST_TEST(cli::doctor_exit_code(core::Severity::failure) == 5);
}

BOOST_AUTO_TEST_SUITE_END()
