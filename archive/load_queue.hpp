// SPDX-License-Identifier: MIT
// Hands rows members, buffered whole, from the archive reader to the loader threads. The
// queue bounds the bytes in flight (waiting or being loaded), so memory stays flat however
// large the archive: a push blocks while the members in flight would exceed the bound (a
// single member larger than the bound still passes, alone). A loader calls done() when it
// let go of a job's bytes. abort() wakes everyone when one side failed.
//
// A table that may still be empty is loaded by one loader at a time: the first transaction to
// insert into an empty InnoDB table with unique_checks=0 and foreign_key_checks=0 (the loading
// session) asks for a table-level X lock on top of its IX lock, and two loaders starting on the
// same empty table at once each wait for the other's IX: a deadlock (docs/performance.md).
// So pop() hands out no member of a table while another member of it is loading, until a
// member with rows is committed there; members of other tables go meanwhile. Jobs naming no
// table (verify's) are not held back.
#pragma once

#include "archive/member_bounds.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pbk::archive {

struct LoadJob {
  std::size_t index = 0; // the member's place in the archive (ArchiveWalk::observed())
  std::string database;  // staging database
  std::string table;     // empty: a job for no table
  std::string path;      // the member's stored path (sealed members are opened with it)
  std::string label;     // names the member in errors
  std::vector<std::byte> compressed;
  MemberBounds bounds; // what the member may decompress and load to
};

// A staging table: database, table.
using TableId = std::pair<std::string, std::string>;

class LoadQueue {
public:
  explicit LoadQueue(std::size_t max_bytes)
      : m_max_bytes(max_bytes) {}

  // Returns false when the queue was aborted.
  bool push(LoadJob job);
  // nullopt when closed and empty, or aborted.
  [[nodiscard]] std::optional<LoadJob> pop();
  // A loader let go of a job of `bytes`; for a job into a table, `committed_rows` says
  // whether it left rows there.
  void done(std::size_t bytes, const TableId& table = {}, bool committed_rows = false);
  void close();
  void abort();

private:
  [[nodiscard]] std::deque<LoadJob>::iterator next_loadable();

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<LoadJob> m_jobs;
  std::set<TableId> m_first_loading; // tables that may be empty, with a member loading
  std::set<TableId> m_holding_rows;  // tables with a committed member that had rows
  std::size_t m_bytes = 0;
  std::size_t m_max_bytes;
  bool m_closed = false;
  bool m_aborted = false;
};

} // namespace pbk::archive
