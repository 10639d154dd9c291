// SPDX-License-Identifier: MIT
#include "archive/member_path.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::archive;

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

// Lost if it failed: `tar -xf` of an archive with a config file named oddly could write
// outside config/, or a restore could not tell the config files from a table's members.
BOOST_AUTO_TEST_CASE(config_members_are_one_file_below_config) {
  BOOST_TEST(config_member_path("postal.yml") == "config/postal.yml.zst");
  BOOST_TEST(config_member_path("a b") == "config/a%20b.zst");
  BOOST_TEST(config_file_name("config/postal.yml.zst").value() == "postal.yml");
  BOOST_TEST(config_file_name("config/a%20b.zst").value() == "a b");
  BOOST_TEST(!config_file_name("config/credentials/schema.sql.zst")); // a database `config`
  BOOST_TEST(!config_file_name("config/.zst"));
  BOOST_TEST(!config_file_name("config/%2E%2E.zst"));
  BOOST_TEST(!config_file_name("config/a%2Fb.zst"));
  BOOST_TEST(!config_file_name("config/%41.zst")); // never written: 'A' is plain
  BOOST_TEST(!config_file_name("config/a%2.zst"));
  BOOST_TEST(!config_file_name("postal/config.zst"));
  BOOST_TEST(!config_file_name("config/postal.yml"));
}

BOOST_AUTO_TEST_SUITE_END()
