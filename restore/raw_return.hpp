// SPDX-License-Identifier: MIT
// How `restore --add-raw` brings raw tables back into a running install (the reverse of
// Postal's raw-message retention, postal/raw_retention.hpp), in two steps that each either
// happen whole or not at all:
//   1. one RENAME TABLE moves the staged raw tables into the live message databases. No
//      message points at them yet, so Postal does not see them. The same statement renames a
//      marker table `addraw_<id>_pending` to `addraw_<id>_done` in the journal database, so
//      whether the tables went in is read from the server, never guessed.
//   2. one transaction re-links: the messages the archive has pointing at those tables get
//      their raw_table, raw_headers_id, raw_body_id and size back (only messages whose live
//      row points nowhere, as retention left them), the tables' raw_message_sizes rows are
//      inserted, and a row is written into the done marker, committed with them.
// After a crash between the two, `rollback` drops the tables step 1 moved in and `finish` runs
// step 2. The marker's name differs from a whole restore's (swap.hpp), so a version that does
// not know this kind never takes it for a swap to undo.
#pragma once

#include "core/db/connection.hpp"
#include "restore/journal.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pbk::restore {

enum class ReturnStage {
  staged,   // nothing live was touched
  renamed,  // the raw tables are live, no message points at them yet
  relinked, // committed: the messages point at them again
};

void create_return_marker(core::db::Connection& connection, const std::string& restore_id);
[[nodiscard]] ReturnStage return_stage(core::db::Connection& connection,
                                       const std::string& restore_id);
void drop_return_marker(core::db::Connection& connection, const std::string& restore_id);

// Step 1 for every raw table of `record` (from its database's staging name to its live name).
void rename_raw_tables_in(core::db::Connection& connection,
                          const RestoreRecord& record,
                          unsigned lock_wait_seconds);

struct RelinkCounts {
  std::uint64_t relinked = 0; // messages pointing at a brought-back table again
  // Messages the archive has pointing at a brought-back table that were left alone: their live
  // row points somewhere (the operator or Postal re-pointed it), or it is another message
  // (its token differs) or gone.
  std::uint64_t skipped = 0;
  std::uint64_t sizes = 0; // raw_message_sizes rows inserted
};

// Step 2. The archive's `messages` and `raw_message_sizes` are in each database's staging
// database.
[[nodiscard]] RelinkCounts relink_raw_tables(core::db::Connection& connection,
                                             const RestoreRecord& record);

// Undoes step 1 when step 2 did not commit: drops each brought-back table no live message
// points at (one that a message points at is left, and named in the result).
[[nodiscard]] std::vector<std::string> drop_raw_tables_renamed_in(core::db::Connection& connection,
                                                                  const RestoreRecord& record);

} // namespace pbk::restore
