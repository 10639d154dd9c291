// SPDX-License-Identifier: MIT
#include "postal/release_catalog.hpp"

#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

using namespace pbk::postal;

namespace {

// The smallest release a --catalog file may hold (docs/catalog.md).
constexpr const char* k_made_up_340 = R"([{
  "version": "3.4.0",
  "main_migrations": [{"version": "20161003195209"}, {"version": "20260501000000",
                       "name": "add_made_up_column"}],
  "message_db_migrations": [{"number": 1}, {"number": 20}]
}])";

void expect_malformed(const std::string& json, const std::string& detail) {
  auto catalog = ReleaseCatalog::built_in();
  try {
    catalog.merge(json, "test.json");
    BOOST_ERROR("accepted a malformed catalog: " << json);
  } catch (const pbk::core::Error& e) {
    const std::string message = e.what();
    BOOST_TEST((e.code() == pbk::core::ExitCode::usage));
    BOOST_TEST(message.find("release catalog test.json is malformed") != std::string::npos,
               message);
    BOOST_TEST(message.find(detail) != std::string::npos, message);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(ReleaseCatalog)

// Lost if it failed: the binary would not know every Postal release, so a plan or a backup
// of that release could not be judged.
BOOST_AUTO_TEST_CASE(built_in_catalog_holds_every_release) {
  const auto catalog = pbk::postal::ReleaseCatalog::built_in();
  BOOST_TEST(catalog.releases().size() == 39u);
  BOOST_TEST(catalog.known_versions().size() == 30u);
  BOOST_TEST(catalog.releases().front().version == "1.x@20170418200606");
  BOOST_TEST(catalog.releases().back().version == "3.3.6");
  for (const auto& release : catalog.releases()) {
    BOOST_TEST_CONTEXT(release.version) {
      BOOST_TEST(release.main_schema_level == release.main_migrations.back().version);
      BOOST_TEST(!release.main_schema_file.empty());
      BOOST_TEST(release.date.size() == 10u);
    }
  }
}

// Lost if it failed: "the newest release at this level" and the known-version list in
// refusals would be out of order (a beta after its release, 1.x after 3.x).
BOOST_AUTO_TEST_CASE(releases_are_oldest_first) {
  const auto catalog = pbk::postal::ReleaseCatalog::built_in();
  const auto& releases = catalog.releases();
  bool seen_release = false;
  for (std::size_t i = 0; i < releases.size(); ++i) {
    seen_release = seen_release || !releases[i].is_1x;
    BOOST_TEST(!(seen_release && releases[i].is_1x), releases[i].version);
    if (i > 0 && !releases[i - 1].is_1x) {
      BOOST_TEST(pbk::core::compare_versions(releases[i - 1].version, releases[i].version) < 0);
    }
  }
  BOOST_TEST(catalog.known_versions().front() == "2.0.0-beta.1");
  BOOST_TEST(catalog.known_versions().at(1) == "2.0.0");
}

// Lost if it failed: --target-version 2.1.4 would find nothing, or the wrong migrations, and
// the plan would name the wrong `postal upgrade` form.
BOOST_AUTO_TEST_CASE(find_by_exact_version) {
  const auto catalog = pbk::postal::ReleaseCatalog::built_in();
  const Release* r214 = catalog.find("2.1.4");
  BOOST_REQUIRE(r214 != nullptr);
  BOOST_TEST(r214->main_schema_level == "20210727210551");
  BOOST_TEST(r214->message_db_schema_level == "20");
  BOOST_TEST(r214->main_migrations.size() == 11u);
  BOOST_TEST(r214->message_db_migrations.back().number == 20);
  BOOST_TEST((r214->era() == Era::v2));
  BOOST_TEST((catalog.find("3.3.6")->era() == Era::v3));
  const Release* old = catalog.find("1.x@20180216114344");
  BOOST_REQUIRE(old != nullptr);
  BOOST_TEST(old->is_1x);
  BOOST_TEST((old->era() == Era::v1));
  BOOST_TEST(old->message_db_schema_level == "18");
  BOOST_TEST(catalog.find("9.9.9") == nullptr);
  BOOST_TEST(catalog.find("2.1") == nullptr);
  BOOST_TEST(catalog.releases_with_main_level("20240223141501").size() == 5u);
  BOOST_TEST(catalog.main_migration_name("20200717083943") == "add_uuid_to_credentials");
  BOOST_TEST(catalog.main_migration_name("20990101000000").empty());
}

// Lost if it failed: a target read from a server at 20180216114344 (or 20200717083943) would be
// taken for the short-lived 19-legacy variant, and a 1.x backup at the same level would be
// told to run message migration 19 instead of being ready to restore.
BOOST_AUTO_TEST_CASE(newest_at_main_level_prefers_the_main_entry) {
  const auto catalog = pbk::postal::ReleaseCatalog::built_in();
  BOOST_TEST(catalog.releases_with_main_level("20180216114344").back()->version
             == "1.x@20180216114344+mdb19legacy");
  BOOST_TEST(catalog.newest_at_main_level("20180216114344")->version == "1.x@20180216114344");
  BOOST_TEST(catalog.newest_at_main_level("20200717083943")->version == "1.x@20200717083943");
  BOOST_TEST(catalog.newest_at_main_level("20210727210551")->version == "2.2.2");
  BOOST_TEST(catalog.newest_at_main_level("20240214132253") == nullptr);

  // A level that only a variant has still finds it.
  auto variant_only = pbk::postal::ReleaseCatalog::built_in();
  variant_only.merge(R"([{"version": "1.x@20260501000000+mdbother", "kind": "1.x-master",
      "date": "2026-05-01", "main_migrations": [{"version": "20260501000000"}],
      "message_db_migrations": [{"number": 1}]}])",
                     "variant.json");
  BOOST_TEST(variant_only.newest_at_main_level("20260501000000")->version
             == "1.x@20260501000000+mdbother");
}

// Lost if it failed: a backup made without --postal-version would not say which releases it
// can come from, and an operator could not tell a 1.x dump from a 2.x one.
BOOST_AUTO_TEST_CASE(release_ranges_from_levels) {
  const auto catalog = pbk::postal::ReleaseCatalog::built_in();
  BOOST_TEST(catalog.release_range("20240311205229", "20").value() == "3.2.0–3.3.6");
  BOOST_TEST(catalog.release_range("20240206173036", "").value() == "2.3.0–2.3.2");
  BOOST_TEST(catalog.release_range("20210727210551", "20").value()
             == "1.x 2021-07-28 … 2021-07-30, 2.0.0-beta.1–2.2.2");
  BOOST_TEST(catalog.release_range("20180216114344", "18").value()
             == "1.x 2018-02-16 … 2020-07-17");
  BOOST_TEST(catalog.release_range("20200717083943", "19").value()
             == "1.x 2020-07-17 … 2020-10-01");
  BOOST_TEST(!catalog.release_range("20240214132253", "20").has_value()); // master only
  BOOST_TEST(!catalog.release_range("20210727210551", "18").has_value());
}

// Lost if it failed: a Postal release newer than the binary would need a rebuild before any
// plan into it, and a corrected release could not replace a built-in one.
BOOST_AUTO_TEST_CASE(merge_adds_and_overrides_by_version) {
  auto catalog = pbk::postal::ReleaseCatalog::built_in();
  catalog.merge(k_made_up_340, "made-up.json");
  BOOST_TEST(catalog.releases().size() == 40u);
  BOOST_TEST(catalog.releases().back().version == "3.4.0");
  const Release* added = catalog.find("3.4.0");
  BOOST_TEST(added->main_schema_level == "20260501000000");
  BOOST_TEST(added->message_db_schema_level == "20");
  BOOST_TEST(added->main_migrations.front().name.empty());
  BOOST_TEST((added->era() == Era::v3));
  BOOST_TEST(catalog.release_range("20260501000000", "20").value() == "3.4.0");

  catalog.merge(R"([{"version": "2.1.4", "date": "2023-04-19",
      "main_migrations": [{"version": "20210727210551"}],
      "message_db_migrations": [{"number": 20}]}])",
                "override.json");
  BOOST_TEST(catalog.releases().size() == 40u);
  BOOST_TEST(catalog.find("2.1.4")->date == "2023-04-19");
  BOOST_TEST(catalog.find("2.1.4")->main_migrations.size() == 1u);
  BOOST_TEST(catalog.known_versions().at(6) == "2.1.4"); // still in version order
}

// Lost if it failed: --catalog FILE could not be used at all.
BOOST_AUTO_TEST_CASE(merge_file_reads_a_file) {
  pbk::test::TempDir dir;
  std::ofstream(dir / "extra.json") << k_made_up_340;
  auto catalog = pbk::postal::ReleaseCatalog::built_in();
  catalog.merge_file(dir / "extra.json");
  BOOST_TEST(catalog.find("3.4.0") != nullptr);
  try {
    catalog.merge_file(dir / "missing.json");
    BOOST_ERROR("a missing catalog file was accepted");
  } catch (const pbk::core::Error& e) {
    BOOST_TEST((e.code() == pbk::core::ExitCode::usage));
    BOOST_TEST(std::string(e.what()).find("missing.json") != std::string::npos);
  }
}

// Lost if it failed: a broken --catalog file would be half-read and a plan made from a
// catalog that says something else than the operator wrote.
BOOST_AUTO_TEST_CASE(malformed_catalogs_are_named) {
  expect_malformed("[{", "parse error");
  expect_malformed(R"({"version": "3.4.0"})", "not an array");
  expect_malformed(R"([{"version": "3.4.0", "message_db_migrations": []}])", "main_migrations");
  expect_malformed(R"([{"version": "3.4", "main_migrations": [{"version": "1"}],
                        "message_db_migrations": []}])",
                   "release 1 (\"3.4\")");
  expect_malformed(R"([{"version": "3.4.0", "main_migrations": [{"version": "2"}, {"version": "1"}],
                        "message_db_migrations": []}])",
                   "ascending");
  expect_malformed(R"([{"version": "3.4.0", "main_migrations": [{"version": 2}],
                        "message_db_migrations": []}])",
                   "3.4.0");
  expect_malformed(R"([{"version": "3.4.0", "main_migrations": [{"version": "1"}],
                        "message_db_migrations": [{"number": 2}, {"number": 1}]}])",
                   "ascending");
  expect_malformed(R"([{"version": "3.4.0", "main_migrations": [{"version": "1"}],
                        "message_db_migrations": [], "main_schema_level": "7"}])",
                   "not the last main migration");
  expect_malformed(R"([{"version": "3.4.0", "main_migrations": [{"version": "1"}],
                        "message_db_migrations": []},
                       {"version": "3.4.0", "main_migrations": [{"version": "1"}],
                        "message_db_migrations": []}])",
                   "appears twice");
  expect_malformed(R"([{"version": "2.9.0", "kind": "1.x-master", "main_migrations":
                        [{"version": "1"}], "message_db_migrations": []}])",
                   "1.x@");
}

BOOST_AUTO_TEST_SUITE_END()
