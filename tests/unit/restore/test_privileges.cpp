// SPDX-License-Identifier: MIT
// Database patterns of GRANT as the restore's privilege check reads them: a grant on
// `postal-server-%` or `pbk\_%` must count for the databases it covers, and only for those,
// or the preflight would refuse a user who may restore (or pass one who may not).
#include "restore/privileges.hpp"

#include <boost/test/unit_test.hpp>

using pbk::restore::grant_pattern_matches;

BOOST_AUTO_TEST_SUITE(GrantPatterns)

BOOST_AUTO_TEST_CASE(wildcards_and_escapes_match_as_the_server_does) {
  BOOST_TEST(grant_pattern_matches("postal", "postal"));
  BOOST_TEST(!grant_pattern_matches("postal", "postal-server-1"));
  BOOST_TEST(grant_pattern_matches("postal-server-%", "postal-server-1"));
  BOOST_TEST(grant_pattern_matches("postal%", "postal"));
  BOOST_TEST(grant_pattern_matches("%", "anything"));
  BOOST_TEST(grant_pattern_matches("pbk\\_%", "pbk_00000000_new_0"));
  BOOST_TEST(!grant_pattern_matches("pbk\\_%", "pbkx00000000_new_0"));
  BOOST_TEST(grant_pattern_matches("pbk_%", "pbkx"));
  BOOST_TEST(grant_pattern_matches("postal\\_backup", "postal_backup"));
  BOOST_TEST(!grant_pattern_matches("postal\\_backup", "postalXbackup"));
  BOOST_TEST(grant_pattern_matches("post_l", "postal"));
  BOOST_TEST(!grant_pattern_matches("post_l", "postl"));
  BOOST_TEST(!grant_pattern_matches("", "postal"));
  BOOST_TEST(grant_pattern_matches("%-server-%", "x-server-"));
}

BOOST_AUTO_TEST_SUITE_END()
