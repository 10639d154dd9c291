// SPDX-License-Identifier: MIT
// `verify` on several cores: the reading thread takes each member whole and hashes its stored
// bytes, worker threads open, decompress and count it. The bytes in flight are bounded (a
// LoadQueue), so memory stays flat however large the archive. What a worker finds is filled
// into the walk's observations when the walk settles, before anything is compared.
#pragma once

#include "archive/archive_walk.hpp"
#include "archive/load_queue.hpp"
#include "archive/member_opener.hpp"

#include <cstddef>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace pbk::verify {

class MemberCheckPool {
public:
  static constexpr std::size_t k_queue_bytes = std::size_t{48} << 20;

  // Starts `workers` threads (at least one).
  MemberCheckPool(archive::MemberOpener opener, unsigned workers);
  ~MemberCheckPool(); // stops the workers; a member in progress ends first
  MemberCheckPool(const MemberCheckPool&) = delete;
  MemberCheckPool& operator=(const MemberCheckPool&) = delete;

  // Reads `member` whole and queues it; returns what is known now (path, size, SHA-256).
  // `index` is its place in ArchiveWalk::observed(). With `columns`, a rows member is decoded
  // row by row and each row held to that many fields (check_rows). A member larger than
  // k_max_buffered_member is checked here instead, streaming, and returned complete. Rethrows a
  // worker's failure.
  archive::ObservedMember submit(archive::ArchiveScanner& scanner,
                                 const core::tar::TarMember& member,
                                 std::size_t index,
                                 std::size_t columns = 0);

  // Waits for every queued member and completes `observed`; rethrows the first failure.
  void settle(std::vector<archive::ObservedMember>& observed);

private:
  struct Finding {
    std::size_t index;
    archive::MemberContents contents;
  };

  void run_worker() noexcept;
  void stop() noexcept;
  void rethrow_failure();
  [[nodiscard]] std::size_t columns_of(std::size_t index);

  archive::MemberOpener m_opener;
  archive::LoadQueue m_queue{k_queue_bytes};
  std::mutex m_mutex;
  std::vector<Finding> m_findings;
  std::map<std::size_t, std::size_t> m_columns; // member index → columns its rows must have
  std::exception_ptr m_failure;
  std::vector<std::thread> m_threads;
};

} // namespace pbk::verify
