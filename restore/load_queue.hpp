// SPDX-License-Identifier: MIT
// Hands rows members, buffered whole, from the archive reader to the loader threads. The
// queue bounds the bytes in flight (waiting or being loaded), so memory stays flat however
// large the archive: a push blocks while the members in flight would exceed the bound (a
// single member larger than the bound still passes, alone). A loader calls done() when it
// let go of a job's bytes. abort() wakes everyone when one side failed.
#pragma once

#include "restore/member_bounds.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

struct LoadJob {
  std::size_t index = 0; // the member's place in the archive (ArchiveWalk::observed())
  std::string database;  // staging database
  std::string table;
  std::string path;  // the member's stored path (sealed members are opened with it)
  std::string label; // names the member in errors
  std::vector<std::byte> compressed;
  MemberBounds bounds; // what the member may decompress and load to
};

class LoadQueue {
public:
  explicit LoadQueue(std::size_t max_bytes)
      : m_max_bytes(max_bytes) {}

  // Returns false when the queue was aborted.
  bool push(LoadJob job);
  // nullopt when closed and empty, or aborted.
  [[nodiscard]] std::optional<LoadJob> pop();
  void done(std::size_t bytes);
  void close();
  void abort();

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<LoadJob> m_jobs;
  std::size_t m_bytes = 0;
  std::size_t m_max_bytes;
  bool m_closed = false;
  bool m_aborted = false;
};

} // namespace pbk::restore
