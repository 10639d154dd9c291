// SPDX-License-Identifier: MIT
#include "backup/raw_id_blocks.hpp"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>
#include <vector>

using namespace pbk;
using pbk::archive::RawIdBlock;

namespace {

// Feeds rows with these ids (first column) as the dumper does and returns, per row, whether
// it started a new member; `member_after` lists the rows after which a member is stored.
std::vector<bool> cuts(backup::RawIdBlocks& blocks,
                       const std::vector<std::string>& ids,
                       const std::vector<std::size_t>& member_after = {}) {
  std::vector<bool> result;
  bool open = false; // a member holds rows not yet stored
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string copy = ids[i];
    char* fields[] = {copy.data(), nullptr};
    const unsigned long lengths[] = {copy.size(), 0};
    const core::db::RowView row(fields, lengths, 2);
    const bool starts = blocks.starts_block(row);
    if (starts && open) {
      blocks.add_member();
    }
    result.push_back(starts);
    blocks.add_row(row);
    open = true;
    for (const auto after : member_after) {
      if (after == i) {
        blocks.add_member();
        open = false;
      }
    }
  }
  if (open) {
    blocks.add_member();
  }
  return result;
}

const std::vector<std::string> k_raw_columns{"id", "data", "next"};

} // namespace

BOOST_AUTO_TEST_SUITE(RawIdBlocks)

// Lost if it failed: members would not end where blocks do, so a row rewritten late in one
// block would shift the members of the next and the repository would store them again; or
// the proof would describe blocks the members do not hold.
BOOST_AUTO_TEST_CASE(a_row_in_another_block_starts_a_member) {
  postal::RewritableRows rewritable;
  rewritable.ids = {4097};
  backup::RawIdBlocks blocks(k_raw_columns, &rewritable);
  BOOST_TEST(cuts(blocks, {"1", "4095", "4096", "4097", "20000", "20001"}, {0})
             == (std::vector<bool>{false, false, true, false, true, false}));
  const auto found = blocks.blocks();
  BOOST_REQUIRE(found);
  BOOST_TEST((*found
              == std::vector<RawIdBlock>{
                  {1, 4095, 2, false}, {4096, 4097, 1, true}, {20000, 20001, 1, false}}));
}

// Lost if it failed: a block taken from an earlier copy would not be recorded in its place,
// and the next backup would take the wrong members for its ids.
BOOST_AUTO_TEST_CASE(reused_blocks_take_their_place) {
  backup::RawIdBlocks blocks(k_raw_columns, nullptr);
  (void)cuts(blocks, {"1"});
  blocks.add_reused({4096, 4100, 3, false});
  BOOST_TEST(cuts(blocks, {"8192"}) == (std::vector<bool>{true}));
  const auto found = blocks.blocks();
  BOOST_REQUIRE(found);
  BOOST_TEST(found->size() == 3u);
  BOOST_TEST(found->at(1).members == 3u);
  BOOST_TEST(found->at(2).members == 1u);
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

// Lost if it failed: a copy that reuses blocks would read their rows again (stored twice) or
// miss the rows between them, or overflow at the ends of the id range.
BOOST_AUTO_TEST_CASE(the_ids_outside_reused_blocks_are_read) {
  BOOST_TEST(backup::ids_outside_blocks({}) == "1 = 1");
  BOOST_TEST(backup::ids_outside_blocks({0, 2, 3})
             == "id < 0 OR id BETWEEN 4096 AND 8191 OR id >= 16384");
  const auto last = std::numeric_limits<std::int64_t>::max() / 4096;
  const auto first = backup::raw_id_block_of(std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(backup::ids_outside_blocks({first, last})
             == "id BETWEEN -9223372036854771712 AND 9223372036854771711");
}

// Lost if it failed: a table that only looks like a raw table (no `id` first, ids that are
// not numbers, rows out of id order) would be cut or described by blocks it does not have.
BOOST_AUTO_TEST_CASE(tables_without_ascending_integer_ids_record_no_blocks) {
  backup::RawIdBlocks other({"data", "id"}, nullptr);
  BOOST_TEST(cuts(other, {"1", "9000"}) == (std::vector<bool>{false, false}));
  BOOST_TEST(!other.blocks());

  backup::RawIdBlocks text(k_raw_columns, nullptr);
  BOOST_TEST(cuts(text, {"1", "x", "9000"}) == (std::vector<bool>{false, false, false}));
  BOOST_TEST(!text.blocks());

  backup::RawIdBlocks unordered(k_raw_columns, nullptr);
  BOOST_TEST(cuts(unordered, {"9000", "1", "2"}) == (std::vector<bool>{false, true, false}));
  BOOST_TEST(!unordered.blocks());
}

BOOST_AUTO_TEST_SUITE_END()
