// SPDX-License-Identifier: MIT
#include "archive/member_check.hpp"

#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;
using archive::ObservedMember;

namespace {

archive::Manifest two_members() {
  archive::Manifest m;
  m.members.push_back({"backup.json", archive::MemberKind::backup_info, "", "", 5, 5, 0, "aa", {}});
  m.members.push_back(
      {"db/t/schema.sql.zst", archive::MemberKind::schema, "db", "t", 9, 20, 0, "bb", {}});
  m.members.push_back(
      {"db/t/rows-000001.tsv.zst", archive::MemberKind::rows, "db", "t", 7, 30, 3, "cc", {}});
  m.tables.push_back(
      {"db", "t", archive::TableOutcome::complete, true, 3, 30, 10, 1, std::nullopt, std::nullopt});
  return m;
}

std::vector<ObservedMember> as_observed(const archive::Manifest& m) {
  std::vector<ObservedMember> observed;
  for (const auto& r : m.members) {
    observed.push_back({r.path, r.size, r.raw_size, r.rows, r.sha256});
  }
  return observed;
}

void expect_failure(const std::vector<ObservedMember>& observed,
                    const archive::Manifest& m,
                    const std::string& fragment) {
  try {
    archive::check_members(observed, m, "x.tar");
    BOOST_FAIL("accepted: " + fragment);
  } catch (const core::IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos, e.what());
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(MemberCheck)

// Lost if it failed: an intact archive would be reported as damaged.
BOOST_AUTO_TEST_CASE(matching_members_pass) {
  const auto m = two_members();
  archive::check_members(as_observed(m), m, "x.tar");
  archive::BackupInfo info;
  info.databases.push_back({});
  info.databases[0].name = "db";
  info.databases[0].tables = {"t"};
  archive::check_tables(info, m, "x.tar");
}

// Lost if it failed: a damaged, missing, duplicated or reordered member would pass verify.
BOOST_AUTO_TEST_CASE(each_kind_of_damage_names_the_member) {
  const auto m = two_members();
  auto observed = as_observed(m);
  observed[2].sha256 = "dd";
  expect_failure(observed, m, "rows-000001.tsv.zst checksum mismatch");
  observed = as_observed(m);
  observed.pop_back();
  expect_failure(observed, m, "rows-000001.tsv.zst is missing");
  observed = as_observed(m);
  observed.push_back(observed[1]);
  expect_failure(observed, m, "is not in the manifest");
  observed = as_observed(m);
  std::swap(observed[1], observed[2]);
  expect_failure(observed, m, "is out of place");
  observed = as_observed(m);
  observed[2].lines = 2;
  expect_failure(observed, m, "holds 2 rows, the manifest says 3");
  observed = as_observed(m);
  observed[1].raw_size = 21;
  expect_failure(observed, m, "decompresses to 21 bytes");
}

// Lost if it failed: a table listed in backup.json but absent from the archive would go
// unnoticed until a restore came up short.
BOOST_AUTO_TEST_CASE(tables_must_agree_with_backup_json) {
  auto m = two_members();
  archive::BackupInfo info;
  info.databases.push_back({});
  info.databases[0].name = "db";
  info.databases[0].tables = {"t", "u"};
  BOOST_CHECK_THROW(archive::check_tables(info, m, "x.tar"), core::IntegrityError);
  info.databases[0].tables = {"t"};
  m.tables[0].rows = 4;
  BOOST_CHECK_THROW(archive::check_tables(info, m, "x.tar"), core::IntegrityError);
}

BOOST_AUTO_TEST_SUITE_END()
