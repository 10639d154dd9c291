// SPDX-License-Identifier: MIT
#include "archive/member_bounds.hpp"

#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;

namespace {

archive::Manifest recorded() {
  archive::Manifest m;
  m.members.push_back({"postal/credentials/rows-000001.tsv.zst",
                       archive::MemberKind::rows,
                       "postal",
                       "credentials",
                       100,
                       300,
                       7,
                       std::string(64, 'd'),
                       {}});
  m.tables.push_back({"postal",
                      "credentials",
                      archive::TableOutcome::complete,
                      true,
                      7,
                      300,
                      80,
                      1,
                      std::nullopt,
                      std::nullopt});
  return m;
}

core::tar::TarMember member(std::int64_t size) {
  return {"postal/credentials/rows-000001.tsv.zst", size};
}

} // namespace

BOOST_AUTO_TEST_SUITE(MemberBoundsTest)

// Lost if it failed: a member would be read, decompressed and loaded as far as its own data
// goes, not as far as the manifest that vouches for it says.
BOOST_AUTO_TEST_CASE(a_recorded_member_is_bounded_by_its_record_and_its_table) {
  const auto m = recorded();
  const auto bounds = archive::RecordedBounds(m).of(member(100), "a.tar: member x");
  BOOST_TEST(bounds.stored == 100u);
  BOOST_TEST(bounds.raw == 300u);
  BOOST_TEST(bounds.rows.max_rows == 7u);
  BOOST_TEST(bounds.rows.max_row_bytes == 80u);
  BOOST_TEST(bounds.rows.max_fields == archive::k_max_row_fields);
}

// Lost if it failed: a header stating more than the manifest records (or any archive may
// hold) would be believed up to the allocation it asks for.
BOOST_AUTO_TEST_CASE(a_header_larger_than_its_bound_is_an_integrity_error) {
  const auto m = recorded();
  BOOST_CHECK_THROW((void)archive::RecordedBounds(m).of(member(101), "x"), core::IntegrityError);
  BOOST_CHECK_THROW((void)archive::RecordedBounds().of(member(std::int64_t{1} << 40), "x"),
                    core::IntegrityError);
  const auto hard = archive::RecordedBounds().of(member(100), "x");
  BOOST_TEST(hard.rows.max_row_bytes == archive::k_max_row_bytes);
  BOOST_TEST(hard.raw == archive::k_max_member_raw_bytes);
}

// Lost if it failed: a member the manifest read ahead does not list would be loaded anyway.
BOOST_AUTO_TEST_CASE(a_member_the_manifest_does_not_list_is_an_integrity_error) {
  const auto m = recorded();
  BOOST_CHECK_THROW(
      (void)archive::RecordedBounds(m).of({"postal/other/rows-000001.tsv.zst", 10}, "x"),
      core::IntegrityError);
}

BOOST_AUTO_TEST_SUITE_END()
