// SPDX-License-Identifier: MIT
// Whether a stored copy of a past `raw-YYYY-MM-DD` table can stand for the table on the server.
//
// Postal inserts only into the current day's raw table, but its message processing rewrites the
// raw rows of a message in place, and that can happen days after the table's day (a message
// held, released by hand, retried or stuck in the queue):
//  - outgoing: while `messages.parsed` is 0, parsing may rewrite the body and headers rows
//    (click and open tracking), then sets parsed = 1; while the headers lack X-Postal-MsgID,
//    DKIM-Signature and X-Postal-MsgID are prepended to the headers row. Holds by credential or
//    suppression list come before parsing; a spam failure (HardFail with spam = 1) comes after
//    parsing but before the headers; send-limit and development-mode holds come after both.
//  - incoming: while `messages.inspected` is 0, inspection prepends X-Postal-Spam* headers.
// Neither rewrite changes the row count, MAX(id) or raw_message_sizes.
//
// The rule. A raw table T of a message database is UNSETTLED when some message with
// raw_table = T
//  - has a row in the main database's queued_messages for this mail server (being processed), or
//  - has status 'Pending' (not yet processed), or
//  - is not incoming (scope <> 'incoming', or NULL) and has parsed = 0 (or NULL), or status
//    'Held' (released by hand later), or status 'HardFail' with spam <> 0 (or NULL), or
//  - is not outgoing (scope <> 'outgoing', or NULL) and has inspected = 0 (or NULL).
// A message that matches none of these has been parsed, given its headers and inspected as far
// as it ever will be, and processing it again (a retry by hand) rewrites nothing. Every other
// raw table is SETTLED, among them tables no message points at (retention has detached them).
// Conservatively, every raw table of the database is unsettled when the database lacks the
// state the rule reads: a message database older than level 17 has no `parsed` column, and a
// main database without queued_messages (server_id, message_id) shows no queue.
//
// Settled is for good: parsed and inspected never return to 0, and a release or retry of a
// settled message rewrites nothing. So a stored copy may stand for T only when
//  - T was settled in the snapshot the copy was taken from (a copy taken while T was unsettled
//    may predate a rewrite that has happened since, even if T is settled now), and
//  - T is settled in the current snapshot, and
//  - raw_table_fingerprint() of the copy's snapshot equals the current one.
// The fingerprint sees appends (MAX(id)), messages newly pointing at T and Postal's recorded
// size; it cannot see a row changed in place with the same count and ids (by hand, or by a
// Postal that rewrites raw rows in ways not listed above). raw_table_checksum() (CHECKSUM
// TABLE, a full read) catches those, for a periodic check of reused tables.
//
// Which rows of an unsettled table Postal may still rewrite: the raw rows of its unsettled
// messages, raw_headers_id and raw_body_id and the rows their `next` column chains to (a long
// message is stored in several rows). A copy's id block that held none of them when the copy
// was taken, and holds none of them now, is what the table had then (docs/format.md, "Id
// blocks"). Where the rows cannot be named, the whole table counts: a message with raw_table
// set but no row id, a chain that loops or joins another, a chain longer than
// k_max_chain_rows, more than k_max_rewritable_rows rows in all, a raw table without `next`,
// and the conservative cases of the rule above.
//
// All of these run inside the backup's snapshot, on connections whose transactions hold it.
// The message database and the main database may be on different servers.
#pragma once

#include "core/db/connection.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace pbk::postal {

// What can be read of a raw table through indexes only, never a scan of the table.
struct RawTableFingerprint {
  std::string max_id;         // MAX(id) of the raw table, "" when it is empty
  std::uint64_t messages = 0; // messages rows whose raw_table names it (index on_raw_table)
  std::string recorded_size;  // raw_message_sizes.size for it, "" when it has no row
                              // (several rows: their sizes in id order, comma-separated)
  bool operator==(const RawTableFingerprint&) const = default;
};

// The raw tables of `message_db` that Postal may still rewrite (see the rule above), read from
// `message_db` on `message_connection` and from the queued_messages of `main_db` on
// `main_connection` for mail server `server_id`; the two connections may be the same one. One
// pass over `messages` (no index covers parsed or inspected), a small part of what dumping
// `messages` costs, plus index lookups for the queued messages in bounded batches.
[[nodiscard]] std::set<std::string> unsettled_raw_tables(core::db::Connection& message_connection,
                                                         const std::string& message_db,
                                                         core::db::Connection& main_connection,
                                                         const std::string& main_db,
                                                         int server_id);

// The rows of one unsettled raw table that Postal may still rewrite.
struct RewritableRows {
  bool whole_table = false;   // which ones is not known: every row counts
  std::set<std::int64_t> ids; // otherwise these

  [[nodiscard]] bool contains(std::int64_t id) const { return whole_table || ids.contains(id); }

  // Whether any id from `first` to `last` (inclusive) counts.
  [[nodiscard]] bool any_in(std::int64_t first, std::int64_t last) const;
};

// A chain longer than k_max_chain_rows is no message Postal stores (its message size limit is
// 14 MB by default); past k_max_rewritable_rows rows in a database, naming them costs more
// work and memory than reading their tables whole.
inline constexpr std::size_t k_max_chain_rows = 4096;
inline constexpr std::size_t k_max_rewritable_rows = 100000;

// unsettled_raw_tables() with, for each table, the rows Postal may still rewrite (above).
// Adds to what unsettled_raw_tables() costs a pass over those messages' rows and primary-key
// lookups of their chains in the raw tables, in bounded batches: never a scan of a raw table.
[[nodiscard]] std::map<std::string, RewritableRows>
rewritable_raw_rows(core::db::Connection& message_connection,
                    const std::string& message_db,
                    core::db::Connection& main_connection,
                    const std::string& main_db,
                    int server_id);

// Throws DbError when `table` does not exist in `db`.
[[nodiscard]] RawTableFingerprint raw_table_fingerprint(core::db::Connection& connection,
                                                        const std::string& db,
                                                        const std::string& table);

// CHECKSUM TABLE's value for `db`.`table`: a full read of the table, of its rows as the
// caller's snapshot sees them. The value depends on the server's version and the table's row
// format, so compare values from one server only. Throws core::Error (runtime) when the table
// does not exist or the server gives no checksum.
[[nodiscard]] std::string raw_table_checksum(core::db::Connection& connection,
                                             const std::string& db,
                                             const std::string& table);

} // namespace pbk::postal
