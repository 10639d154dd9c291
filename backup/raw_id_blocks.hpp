// SPDX-License-Identifier: MIT
// Where a raw table's rows members end besides the size cut: at id block boundaries. Postal
// rewrites a late-processed message's raw rows in place (postal/raw_table_state.hpp), which
// makes those rows longer. Cut by size alone, one longer row would move every later member
// boundary, and no later member of the table would be byte-identical to its earlier copy.
// Cut also where a row's id enters another block of k_raw_id_block ids, a rewrite changes only
// the members of its own block; every other member comes out as before and the repository's
// store (content-addressed) keeps it once. Incremental backups record the blocks in the
// table's proof (docs/format.md, "Id blocks"), so a later backup can reuse a block's members
// without reading its rows.
//
// The cut relies on rows arriving in id order, which a plain SELECT of an InnoDB table gives
// (a scan of the clustered primary key; ORDER BY id would promise it at no cost there, but
// would sort a table of another engine). Nothing depends on it for correctness: rows out of
// order only make more members, and such a copy records no blocks.
#pragma once

#include "archive/manifest.hpp"
#include "postal/raw_table_state.hpp"

#include "core/db/row_view.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbk::backup {

// 4096 ids: a raw row is the headers or the body (or one piece of a long one) of a message,
// so a block holds about 2,000 messages, some 10 to 60 MiB of TSV at Postal's usual mail
// sizes: about one default rows member (32 MiB), so a late rewrite costs about one member.
// Smaller blocks would cut members far below the size cut on large installs: at 300 GB over
// 90 days (~300,000 messages a day) 1024-id blocks give ~60,000 members per backup, past what
// a manifest may list (archive/manifest.hpp, k_max_json_bytes); 4096 keeps ~15,000.
inline constexpr std::int64_t k_raw_id_block = 4096;

[[nodiscard]] inline std::int64_t raw_id_block_of(std::int64_t id) {
  return archive::id_block_number(id, k_raw_id_block);
}

// The SQL condition that selects every id outside `blocks` (block numbers, ascending, no
// repeats): what a copy reusing those blocks reads. "1 = 1" when `blocks` is empty.
[[nodiscard]] std::string ids_outside_blocks(const std::vector<std::int64_t>& blocks);

// Follows one table's rows as they are dumped: where members must end, and the blocks the
// copy holds.
class RawIdBlocks {
public:
  // `columns`: the result's column names. Blocks are followed only when the first column is
  // `id` (every Postal raw table). `rewritable`: rows that make their block dirty, or null.
  RawIdBlocks(const std::vector<std::string>& columns, const postal::RewritableRows* rewritable);

  // The row's id; nullopt when blocks are not (or no longer) followed.
  [[nodiscard]] std::optional<std::int64_t> id_of(const core::db::RowView& row) const;
  // Whether `row` belongs to another block than the row or reused block before it: the open
  // member must end before it is written. False for the first row.
  [[nodiscard]] bool starts_block(const core::db::RowView& row) const;
  // After the row was written. A row without an integer id stops the following.
  void add_row(const core::db::RowView& row);
  // A rows member holding the rows added since the last one was stored.
  void add_member();
  // The members of a block an earlier copy stored were added whole.
  void add_reused(const archive::RawIdBlock& block);

  // The copy's blocks in member order; nullopt when the table was not followed or its ids
  // did not ascend.
  [[nodiscard]] std::optional<std::vector<archive::RawIdBlock>> blocks() const;

private:
  bool m_followed = false;
  bool m_ascending = true;
  const postal::RewritableRows* m_rewritable;
  std::optional<std::int64_t> m_last_block;
  std::optional<std::int64_t> m_last_id;
  std::vector<archive::RawIdBlock> m_blocks;
};

} // namespace pbk::backup
