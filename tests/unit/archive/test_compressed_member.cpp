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

namespace {

// Rows of varying text, longer than zstd's 1 MiB job (workers) and 128 KiB block.
std::string sample_rows() {
  std::string rows;
  for (std::uint64_t i = 0; rows.size() < (3u << 20); ++i) {
    rows += std::to_string(i) + "\tSubject: message " + std::to_string(i * 2654435761u % 100003)
            + " " + std::string(i % 97, static_cast<char>('a' + i % 26)) + "\t\\N\n";
  }
  return rows;
}

std::string stored_sha256(const std::string& rows, int workers, std::size_t write_size) {
  archive::CompressedMember member({2, workers});
  for (std::size_t i = 0; i < rows.size(); i += write_size) {
    member.input().write(std::string_view(rows).substr(i, write_size));
  }
  member.finish();
  return member.sha256();
}

} // namespace

// Lost if it failed: a repository keeps each stored member once because equal rows compress
// to equal bytes; if the bytes depended on how the rows reached zstd (the encoder's buffer
// sizes, zstd's worker threads finishing in another order), every unchanged raw table block
// would be stored again each night.
BOOST_AUTO_TEST_CASE(equal_rows_compress_to_equal_bytes) {
  const std::string rows = sample_rows();
  for (const int workers : {0, 2}) {
    const auto expected = stored_sha256(rows, workers, rows.size());
    for (const std::size_t write_size : {std::size_t{7}, std::size_t{4096}, std::size_t{1} << 20}) {
      BOOST_TEST(stored_sha256(rows, workers, write_size) == expected, workers << " workers");
    }
  }
  // With workers, the frame does not depend on how many (zstd's documented guarantee); a
  // change of --threads between one and several lanes does change it (worker threads or none).
  BOOST_TEST(stored_sha256(rows, 1, 4096) == stored_sha256(rows, 2, 4096));
}

// Lost if it failed: an empty chunk could not be told from a missing one.
BOOST_AUTO_TEST_CASE(an_empty_member_is_still_one_frame) {
  archive::CompressedMember member({3, 0});
  member.finish();
  BOOST_TEST(member.raw_size() == 0u);
  BOOST_TEST(!member.data().empty());
}

BOOST_AUTO_TEST_SUITE_END()
