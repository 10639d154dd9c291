// SPDX-License-Identifier: MIT
#include "archive/compressed_member.hpp"

#include "core/hash/sha256.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/zstd_text.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk;

BOOST_AUTO_TEST_SUITE(CompressedMember)

// Lost if it failed: the sizes, row counts and checksum a manifest records for a member
// would not describe the bytes stored in the archive, so verify would reject good archives
// or pass bad ones.
BOOST_AUTO_TEST_CASE(records_what_it_stores) {
  for (const int workers : {0, 2}) {
    archive::CompressedMember member({3, workers});
    const std::string rows = "1\tone\n2\t\\N\n3\tthree\\nlines\n";
    for (std::size_t i = 0; i < rows.size(); i += 7) {
      member.input().write(std::string_view(rows).substr(i, 7));
    }
    member.finish();
    BOOST_TEST(member.raw_size() == rows.size());
    BOOST_TEST(member.lines() == 3u);
    BOOST_TEST(member.sha256() == core::hash::sha256_hex(test::as_string(member.data())));
    BOOST_TEST(test::zstd_decompressed(test::as_string(member.data())) == rows);
  }
}

// Lost if it failed: an empty chunk could not be told from a missing one.
BOOST_AUTO_TEST_CASE(an_empty_member_is_still_one_frame) {
  archive::CompressedMember member({3, 0});
  member.finish();
  BOOST_TEST(member.raw_size() == 0u);
  BOOST_TEST(!member.data().empty());
}

BOOST_AUTO_TEST_SUITE_END()
