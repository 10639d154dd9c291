// SPDX-License-Identifier: MIT
// Dumps one table into the archive: its CREATE TABLE as one member, then its rows streamed
// (mysql_use_result) through the row encoder into members of bounded size, so memory does
// not grow with the table. A table that vanished or appeared around the snapshot is not a
// failure: the returned record says what happened.
#pragma once

#include "archive/archive_builder.hpp"
#include "archive/compressed_member.hpp"
#include "archive/manifest.hpp"

#include "core/db/connection.hpp"
#include "core/reporter.hpp"

#include <atomic>
#include <cstdint>
#include <string>

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

class TableDumper {
public:
  TableDumper(archive::ArchiveBuilder& archive,
              const DumpSettings& settings,
              core::Reporter& reporter,
              ProgressCounter& progress);

  [[nodiscard]] archive::TableRecord dump(core::db::Connection& connection,
                                          const std::string& database,
                                          const std::string& table,
                                          bool in_snapshot);

private:
  void write_schema(const std::string& database,
                    const std::string& table,
                    const std::string& create_sql);
  void write_rows(core::db::RowStream& rows,
                  const core::db::RowView* first_row,
                  archive::TableRecord& record);

  archive::ArchiveBuilder& m_archive;
  const DumpSettings& m_settings;
  core::Reporter& m_reporter;
  ProgressCounter& m_progress;
};

} // namespace pbk::backup
