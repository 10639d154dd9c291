// SPDX-License-Identifier: MIT
#include "backup/raw_id_blocks.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace pbk;

namespace {

// Feeds rows with these ids (first column) and returns, per row, whether it started a block.
std::vector<bool> cuts(backup::RawIdBlocks& blocks, const std::vector<std::string>& ids) {
  std::vector<bool> result;
  for (const auto& id : ids) {
    std::string copy = id;
    char* fields[] = {copy.data(), nullptr};
    const unsigned long lengths[] = {copy.size(), 0};
    result.push_back(blocks.next_row(core::db::RowView(fields, lengths, 2)));
  }
  return result;
}

const std::vector<std::string> k_raw_columns{"id", "data", "next"};

} // namespace

BOOST_AUTO_TEST_SUITE(RawIdBlocks)

// Lost if it failed: members would not end where blocks do, so a row rewritten late in one
// block would shift the members of the next and the repository would store them again.
BOOST_AUTO_TEST_CASE(a_row_in_another_block_starts_a_member) {
  backup::RawIdBlocks blocks(k_raw_columns);
  BOOST_TEST(cuts(blocks, {"1", "4095", "4096", "4097", "20000", "20001"})
             == (std::vector<bool>{false, false, true, false, true, false}));
  BOOST_TEST(blocks.ids_ascending());
  BOOST_TEST(*blocks.last_id() == 20001);
}

// Lost if it failed: negative ids (never Postal's, but a table may hold them) would share
// block 0 with ids 0 to 4095 by truncating division.
BOOST_AUTO_TEST_CASE(blocks_are_floor_divisions) {
  BOOST_TEST(backup::raw_id_block_of(0) == 0);
  BOOST_TEST(backup::raw_id_block_of(4095) == 0);
  BOOST_TEST(backup::raw_id_block_of(4096) == 1);
  BOOST_TEST(backup::raw_id_block_of(-1) == -1);
  BOOST_TEST(backup::raw_id_block_of(-4096) == -1);
  BOOST_TEST(backup::raw_id_block_of(-4097) == -2);
}

// Lost if it failed: a table that only looks like a raw table (no `id` first, ids that are
// not numbers, rows out of id order) would be cut or described by blocks it does not have.
BOOST_AUTO_TEST_CASE(tables_without_ascending_integer_ids_are_not_followed) {
  backup::RawIdBlocks other({"data", "id"});
  BOOST_TEST(cuts(other, {"1", "9000"}) == (std::vector<bool>{false, false}));
  BOOST_TEST(!other.ids_ascending());

  backup::RawIdBlocks text(k_raw_columns);
  BOOST_TEST(cuts(text, {"1", "x", "9000"}) == (std::vector<bool>{false, false, false}));
  BOOST_TEST(!text.ids_ascending());

  backup::RawIdBlocks unordered(k_raw_columns);
  BOOST_TEST(cuts(unordered, {"9000", "1", "2"}) == (std::vector<bool>{false, true, false}));
  BOOST_TEST(!unordered.ids_ascending());
}

BOOST_AUTO_TEST_SUITE_END()
