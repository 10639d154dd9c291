// SPDX-License-Identifier: MIT
// The release facts `schema check` takes from the release catalog.
#include "postal/schema_release_facts.hpp"

#include <boost/test/unit_test.hpp>

namespace {

pbk::postal::SchemaCatalog load_schema_catalog() {
  return pbk::postal::schema_catalog(pbk::postal::ReleaseCatalog::built_in());
}

} // namespace

BOOST_AUTO_TEST_SUITE(SchemaCatalog)

BOOST_AUTO_TEST_CASE(default_target_is_the_newest_release_at_the_level) {
  // Without it `schema check` without --target-version would report migrations of a release
  // the install never ran (or of a one-hour 1.x variant) as pending.
  const auto catalog = load_schema_catalog();
  BOOST_TEST(catalog.newest_at_main_level("20210727210551")->version == "2.2.2");
  BOOST_TEST(catalog.newest_at_main_level("20180216114344")->version == "1.x@20180216114344");
  BOOST_TEST(catalog.newest_at_main_level("20240214132253") == nullptr);
}

BOOST_AUTO_TEST_CASE(finds_releases_and_lists_known_versions) {
  // Without it --target-version 2.1.4 would be refused, or refused with no list to choose from.
  const auto catalog = load_schema_catalog();
  const auto* release = catalog.find("2.1.4");
  BOOST_TEST_REQUIRE(release != nullptr);
  BOOST_TEST(release->main_schema_level == "20210727210551");
  BOOST_TEST(release->message_db_schema_level == "20");
  BOOST_TEST(release->message_db_migrations.back() == "20");
  BOOST_TEST(catalog.find("9.9.9") == nullptr);
  const auto known = catalog.known_versions();
  BOOST_TEST(known.front() == "2.0.0-beta.1");
  BOOST_TEST(known.back() == "3.3.6");
}

BOOST_AUTO_TEST_SUITE_END()
