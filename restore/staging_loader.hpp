// SPDX-License-Identifier: MIT
// Loads an archive's tables into the staging databases as the archive streams by. Each
// table's schema member becomes a checked CREATE TABLE in its staging database (on the
// caller's connection, in archive order). Each rows member is read whole while its SHA-256
// is taken, then handed to one of several loader threads, each with its own connection,
// which pull it through zstd and a row count straight into the server (LOAD DATA LOCAL, or
// the tool's own INSERTs where the server forbids it): the server's insert work, the bulk of
// a restore, runs on several cores. Memory is bounded by the queue (LoadQueue); a member larger
// than k_max_buffered_member is streamed into the server by the reading thread instead. The rows
// the server took must equal the rows the member holds. Members of databases not being restored
// are only verified; members of tables left out (StagingOptions::left_out) only hashed. A
// queued member is one transaction: one that lost a deadlock or a lock wait is rolled back
// and loaded again from its buffered bytes, a few times, with a growing pause.
#pragma once

#include "archive/archive_walk.hpp"
#include "archive/load_queue.hpp"
#include "archive/manifest.hpp"
#include "archive/member_mapping.hpp"
#include "archive/member_opener.hpp"

#include "core/db/connection.hpp"
#include "core/parallel/worker_pool.hpp"
#include "core/reporter.hpp"
#include "restore/row_loader.hpp"
#include "restore/server_collations.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pbk::restore {

struct StagingOptions {
  std::map<std::string, std::string> staging_for; // backup database → its staging database
  bool force_dynamic_row_format = false;          // Postal 3.x targets
  const ServerCollations* collations = nullptr;   // the target's; nullptr: not checked
  core::db::ConnectionOptions loading;            // for the loader threads' connections
  unsigned workers = 4;
  std::optional<LoadMethod> method;                // nullopt: the fastest the server allows
  std::size_t queue_bytes = std::size_t{32} << 20; // members in flight
  archive::MemberOpener opener;                    // opens sealed members
  archive::RecordedBounds bounds; // from the manifest when it was read ahead; else the hard caps
  std::uint64_t stored_total = 0; // the members' bytes from the manifest read ahead; 0: a pipe
  // (backup database, table) a selective restore leaves out: neither created nor loaded, their
  // members' stored bytes only hashed (held to the manifest), never decompressed.
  std::set<archive::TableId> left_out;
  // Told each (staging database, table) once its last member is loaded and committed, on the
  // reading thread or a loader thread, so a caller can read a table back while the load goes
  // on. Needs `manifest` (read ahead) to know a table's last member: without it, or for a
  // table whose members do not all arrive, nothing is told.
  std::function<void(const archive::TableId&)> on_table_loaded;
  const archive::Manifest* manifest = nullptr;
};

class StagingLoader {
public:
  // Starts the loader threads and connects them.
  StagingLoader(core::db::Connection& control,
                const archive::BackupInfo& info,
                StagingOptions options,
                core::Reporter& reporter);
  // Stops the loader threads (a load in progress ends with its member).
  ~StagingLoader();
  StagingLoader(const StagingLoader&) = delete;
  StagingLoader& operator=(const StagingLoader&) = delete;

  // For an ArchiveWalk::MemberHandler: `index` is the member's place in the walk's observed()
  // (its size before the member); a rows member's raw size and row count are filled in there
  // by finish().
  [[nodiscard]] archive::ObservedMember
  load(archive::ArchiveScanner& scanner, const core::tar::TarMember& member, std::size_t index);
  // Waits for every queued member to be loaded and completes `observed`; rethrows the first
  // loader failure.
  void finish(std::vector<archive::ObservedMember>& observed);

  [[nodiscard]] std::uint64_t rows() const { return m_rows; }

  [[nodiscard]] std::uint64_t raw_bytes() const { return m_raw_bytes; }

  [[nodiscard]] std::uint64_t stored_bytes() const { return m_stored_bytes; }

  [[nodiscard]] const LoadMethods& methods() const { return m_methods; }

  // Members loaded again after a deadlock or a lock wait timeout (complete after finish()).
  [[nodiscard]] std::uint64_t retries() const { return m_retries; }

  // The tables whose ROW_FORMAT was changed to DYNAMIC (a Postal 3.x target), as database.table.
  [[nodiscard]] const std::vector<std::string>& dynamic_row_format_tables() const {
    return m_dynamic_row_format;
  }

private:
  using TableRef = archive::MemberMapping::Table;

  struct Loaded {
    std::size_t index = 0;
    std::uint64_t raw_size = 0;
    std::uint64_t rows = 0;
  };

  archive::ObservedMember create_table(archive::ArchiveScanner& scanner,
                                       const core::tar::TarMember& member,
                                       const TableRef& ref,
                                       const std::string& staging);
  archive::ObservedMember queue_rows(archive::ArchiveScanner& scanner,
                                     const core::tar::TarMember& member,
                                     const TableRef& ref,
                                     const std::string& staging,
                                     std::size_t index,
                                     const archive::MemberBounds& bounds);
  archive::ObservedMember load_inline(archive::ArchiveScanner& scanner, archive::LoadJob job);
  void run_loader();
  // Loads a queued job, again after a lost lock conflict.
  [[nodiscard]] Loaded load_job(core::db::Connection& connection, const archive::LoadJob& job);
  // Loads the job's rows from `stored` (the member's stored bytes) once.
  [[nodiscard]] Loaded load_once(core::db::Connection& connection,
                                 const archive::LoadJob& job,
                                 core::io::ByteSource& stored);
  void back_off(unsigned attempt) const;
  // The members of each staging table the manifest lists, for on_table_loaded.
  void count_expected_members(const archive::BackupInfo& info);
  // One more member of the staging table is in; tells on_table_loaded after the last.
  void member_loaded(const archive::TableId& table);
  void report_retries();

  core::db::Connection& m_control;
  StagingOptions m_options;
  core::Reporter& m_reporter;
  LoadMethods m_methods;
  archive::MemberMapping m_mapping;
  std::uint64_t m_rows = 0;
  std::uint64_t m_raw_bytes = 0;
  std::uint64_t m_stored_bytes = 0;
  std::vector<std::string> m_dynamic_row_format;

  archive::LoadQueue m_queue;
  std::atomic<bool> m_aborted{false};
  std::mutex m_results_mutex;
  std::vector<Loaded> m_loaded;
  std::map<archive::TableId, std::size_t> m_members_left; // staging table → members not loaded
  std::atomic<std::uint64_t> m_retries{0};
  std::vector<std::string> m_retry_notes;       // for the reporter, which only this thread calls
  std::optional<core::db::Connection> m_inline; // loads members too large to queue
  // Last, so it is joined before anything its threads use goes away; started once the
  // loading options are final.
  std::optional<core::parallel::WorkerPool> m_loaders;
};

// The session every loading connection needs for byte-exact rows.
void prepare_loading_session(core::db::Connection& connection);

} // namespace pbk::restore
