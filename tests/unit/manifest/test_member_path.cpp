// SPDX-License-Identifier: MIT
#include "manifest/member_path.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::manifest;

BOOST_AUTO_TEST_SUITE(MemberPath)

// Lost if it failed: `tar -xf` on an archive could write outside its directory, or two
// tables could share one member path.
BOOST_AUTO_TEST_CASE(names_become_single_safe_components) {
  BOOST_TEST(escape_path_component("raw-2026-01-01") == "raw-2026-01-01");
  BOOST_TEST(escape_path_component("a/b") == "a%2Fb");
  BOOST_TEST(escape_path_component("..") == "%2E%2E");
  BOOST_TEST(escape_path_component("100%") == "100%25");
  BOOST_TEST(escape_path_component("caf\xc3\xa9") == "caf%C3%A9");
}

// Lost if it failed: the documented layout (docs/format.md) would not be what is written.
BOOST_AUTO_TEST_CASE(layout_matches_the_format) {
  BOOST_TEST(schema_member_path("postal-server-1", "messages")
             == "postal-server-1/messages/schema.sql.zst");
  BOOST_TEST(rows_member_path("postal", "credentials", 12)
             == "postal/credentials/rows-000012.tsv.zst");
}

BOOST_AUTO_TEST_SUITE_END()
