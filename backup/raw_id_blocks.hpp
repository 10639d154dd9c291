// SPDX-License-Identifier: MIT
// Where a raw table's rows members end besides the size cut: at id block boundaries. Postal
// rewrites a late-processed message's raw rows in place (postal/raw_table_state.hpp), which
// makes those rows longer. Cut by size alone, one longer row would move every later member
// boundary, and no later member of the table would be byte-identical to its earlier copy.
// Cut also where a row's id enters another block of k_raw_id_block ids, a rewrite changes only
// the members of its own block; every other member comes out as before and the repository's
// store (content-addressed) keeps it once.
//
// The cut relies on rows arriving in id order, which a plain SELECT of an InnoDB table gives
// (a scan of the clustered primary key; ORDER BY id would promise it at no cost there, but
// would sort a table of another engine). Nothing depends on it for correctness: rows out of
// order only make more members.
#pragma once

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

// The block of `id`: id / k_raw_id_block rounded down, so negative ids (never Postal's) get
// blocks of their own below 0.
[[nodiscard]] std::int64_t raw_id_block_of(std::int64_t id);

class RawIdBlocks {
public:
  // `columns`: the result's column names. Blocks are followed only when the first column is
  // `id` (every Postal raw table); otherwise next_row() never asks for a cut.
  explicit RawIdBlocks(const std::vector<std::string>& columns);

  // Called for each row before it is written: true when it belongs to another block than the
  // row before it (a new member must start). False for the first row. A row whose id is not
  // an integer stops the cutting for the rest of the table.
  [[nodiscard]] bool next_row(const core::db::RowView& row);

  // The last row's id, when blocks are followed.
  [[nodiscard]] std::optional<std::int64_t> last_id() const { return m_last_id; }

  // False once a row came with an id not above the previous row's, or without an integer id.
  [[nodiscard]] bool ids_ascending() const { return m_followed && m_ascending; }

private:
  bool m_followed = false;
  bool m_ascending = true;
  std::optional<std::int64_t> m_last_id;
};

} // namespace pbk::backup
