// SPDX-License-Identifier: MIT
// Dumps one table into the archive: its CREATE TABLE as one member, then its rows streamed
// (mysql_use_result) through the row encoder into members of bounded size, so memory does
// not grow with the table. A table that vanished or appeared around the snapshot is not a
// failure: the returned record says what happened.
#pragma once

#include "archive/archive_builder.hpp"
#include "archive/compressed_member.hpp"
#include "archive/manifest.hpp"
#include "postal/raw_table_state.hpp"

#include "core/db/connection.hpp"
#include "core/reporter.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace pbk::backup {

struct DumpSettings {
  archive::CompressionSettings compression;
  std::uint64_t chunk_raw_bytes = 32ull << 20; // a new member starts after this much TSV
};

// Progress across the whole backup, in raw bytes.
// Lanes dumping side by side add to it at once.
struct ProgressCounter {
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::uint64_t> total{0};
};

// An id block of a raw table whose members an earlier copy stored (raw_id_blocks.hpp).
struct ReusedBlock {
  archive::RawIdBlock block;
  std::vector<archive::MemberRecord> members{}; // its rows members, as that copy recorded them
};

// create --incremental, a past raw table: the proof to record with the copy (the dump fills in
// its blocks), the rows that make a block dirty, and the blocks of an earlier copy whose
// members this copy takes instead of reading their ids.
struct RawCopy {
  archive::RawTableProof proof;
  const postal::RewritableRows* rewritable = nullptr;
  std::vector<ReusedBlock> reused{};     // ascending
  std::uint64_t reused_max_row_size = 0; // the earlier copy's largest row
};

class TableDumper {
public:
  TableDumper(archive::ArchiveBuilder& archive,
              const DumpSettings& settings,
              core::Reporter& reporter,
              ProgressCounter& progress);

  // `raw`: a past raw table of an incremental backup, else null. Its reused blocks' members
  // are referenced in id order among the members of the rows read, numbered with them, and
  // their ids are left out of the one SELECT that reads the rest.
  [[nodiscard]] archive::TableRecord dump(core::db::Connection& connection,
                                          const std::string& database,
                                          const std::string& table,
                                          bool in_snapshot,
                                          const RawCopy* raw = nullptr);

private:
  void write_schema(const std::string& database,
                    const std::string& table,
                    const std::string& create_sql);
  void write_rows(core::db::RowStream& rows,
                  const core::db::RowView* first_row,
                  archive::TableRecord& record,
                  const RawCopy* raw);

  archive::ArchiveBuilder& m_archive;
  const DumpSettings& m_settings;
  core::Reporter& m_reporter;
  ProgressCounter& m_progress;
};

} // namespace pbk::backup
