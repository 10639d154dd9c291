// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/version_order.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pbk::core;

BOOST_AUTO_TEST_SUITE(VersionOrder)

// Lost if it failed: the catalog would list 2.0.10 before 2.0.9 or a beta after its release,
// and a "newest release at this level" would name the wrong one.
BOOST_AUTO_TEST_CASE(semver_precedence_with_pre_releases) {
  const std::vector<std::string> ascending{"1.0.0-alpha",
                                           "1.0.0-alpha.1",
                                           "1.0.0-alpha.beta",
                                           "1.0.0-beta",
                                           "1.0.0-beta.2",
                                           "1.0.0-beta.11",
                                           "1.0.0-rc.1",
                                           "1.0.0",
                                           "2.0.0-beta.1",
                                           "2.0.0",
                                           "2.0.9",
                                           "2.0.10",
                                           "2.1.0",
                                           "10.0.0"};
  for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
    BOOST_TEST_CONTEXT(ascending[i] << " < " << ascending[i + 1]) {
      BOOST_TEST(compare_versions(ascending[i], ascending[i + 1]) < 0);
      BOOST_TEST(compare_versions(ascending[i + 1], ascending[i]) > 0);
    }
  }
  BOOST_TEST(compare_versions("3.3.6", "3.3.6") == 0);
  BOOST_TEST(compare_versions("3.3.6+build.7", "3.3.6") == 0);
  BOOST_TEST(major_version("2.0.0-beta.1") == 2);
}

// Lost if it failed: a typo such as "3.4" in a --catalog file would be ordered silently
// somewhere instead of being named.
BOOST_AUTO_TEST_CASE(text_that_is_not_a_version_is_rejected) {
  for (const char* bad : {"3.4", "v3.3.6", "3.3.6-", "3.3.x", "", "3..6", "3.3.6-beta..1"}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(!is_semver(bad));
      BOOST_CHECK_THROW((void)compare_versions(bad, "1.0.0"), pbk::core::Error);
    }
  }
  BOOST_TEST(is_semver("2.0.0-beta.1"));
}

// Lost if it failed: message level 9 would count as newer than 10, and a Rails timestamp
// compared as text of another length would flip a downgrade into an upgrade.
BOOST_AUTO_TEST_CASE(levels_compare_as_numbers) {
  BOOST_TEST(compare_levels("9", "10") < 0);
  BOOST_TEST(compare_levels("20", "20") == 0);
  BOOST_TEST(compare_levels("020", "20") == 0);
  BOOST_TEST(compare_levels("20240311205229", "20210727210551") > 0);
  BOOST_TEST(compare_levels("0", "1") < 0);
}

BOOST_AUTO_TEST_SUITE_END()
