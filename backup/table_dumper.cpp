// SPDX-License-Identifier: MIT
#include "backup/table_dumper.hpp"

#include "archive/manifest.hpp"
#include "archive/member_path.hpp"
#include "postal/raw_tables.hpp"

#include "backup/raw_id_blocks.hpp"
#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/hash/running_digest_sink.hpp"
#include "core/interrupt.hpp"
#include "core/rowcodec/row_encoder.hpp"

#include <optional>

namespace pbk::backup {
namespace {

using core::db::k_no_such_table;
using core::db::k_table_def_changed;
constexpr std::uint64_t k_progress_step = 4ull << 20;

std::uint64_t value_bytes(const core::db::RowView& row) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < row.size(); ++i) {
    total += row.value(i).size();
  }
  return total;
}

// A restore refuses such a row; an archive holding it could never be restored.
void require_restorable_row(const std::string& label, std::uint64_t row_bytes) {
  if (row_bytes > archive::k_max_row_bytes) {
    throw core::Error(
        core::ExitCode::runtime,
        label + ": a row holds " + std::to_string(row_bytes) + " bytes, more than the "
            + std::to_string(archive::k_max_row_bytes >> 20) + " MiB an archive row may hold",
        {"find the row and shorten or remove it (docs/format.md, \"Limits\")"});
  }
}

// One rows member being filled: the encoder writes into the member's compressing input, and
// on the way into the table's content digest, which runs on across the table's members.
struct RowsChunk {
  RowsChunk(const archive::CompressionSettings& compression, core::hash::Sha256& content)
      : member(compression),
        digest(content, &member.input()),
        encoder(digest) {}

  archive::CompressedMember member;
  core::hash::RunningDigestSink digest;
  core::rowcodec::RowEncoder encoder;
};

// Seals the chunk and adds it to the archive as the table's next rows member.
void store_chunk(archive::ArchiveBuilder& archive, RowsChunk& chunk, archive::TableRecord& record) {
  chunk.encoder.flush();
  chunk.member.finish();
  ++record.chunks;
  const auto stored =
      archive.add_member(archive::rows_member_path(record.database, record.table, record.chunks),
                         archive::MemberKind::rows,
                         record.database,
                         record.table,
                         chunk.member);
  record.rows += stored.rows;
  record.raw_size += stored.raw_size;
}

// One SELECT for the whole copy, so that the table cannot be dropped between its parts (a
// statement holds the table's metadata lock to its end): reused blocks' ids left out.
std::string select_rows(const std::string& database, const std::string& table, const RawCopy* raw) {
  std::string sql = "SELECT * FROM " + core::db::Connection::qualified_name(database, table);
  if (raw && !raw->reused.empty()) {
    std::vector<std::int64_t> blocks;
    for (const auto& reused : raw->reused) {
      blocks.push_back(raw_id_block_of(reused.block.first_id));
    }
    sql += " WHERE " + ids_outside_blocks(blocks);
  }
  return sql;
}

// Adds a reused block's members to the archive as the table's next rows members.
void reference_block(archive::ArchiveBuilder& archive,
                     const ReusedBlock& reused,
                     archive::TableRecord& record) {
  for (auto member : reused.members) {
    member.path = archive::rows_member_path(record.database, record.table, ++record.chunks);
    record.rows += member.rows;
    record.raw_size += member.raw_size;
    archive.add_stored_member(member);
  }
}

} // namespace

TableDumper::TableDumper(archive::ArchiveBuilder& archive,
                         const DumpSettings& settings,
                         core::Reporter& reporter,
                         ProgressCounter& progress)
    : m_archive(archive),
      m_settings(settings),
      m_reporter(reporter),
      m_progress(progress) {}

archive::TableRecord TableDumper::dump(core::db::Connection& connection,
                                       const std::string& database,
                                       const std::string& table,
                                       bool in_snapshot,
                                       const RawCopy* raw) {
  core::throw_if_interrupted();
  // Tests step in here, after the snapshot, e.g. to swap the tables with a restore.
  core::pausepoint("create.before_table");
  archive::TableRecord record;
  record.database = database;
  record.table = table;
  record.in_snapshot = in_snapshot;
  std::optional<core::db::RowStream> rows;
  const core::db::RowView* first_row = nullptr;
  std::string create_sql;
  try {
    // A table that is gone or newer than the snapshot fails here, at the latest with the
    // first row (the server reports errors of a streamed SELECT there), so nothing of it is
    // in the archive yet.
    auto create =
        connection
            .query("SHOW CREATE TABLE " + core::db::Connection::qualified_name(database, table))
            .rows();
    if (create.empty() || create[0].size() < 2 || !create[0][1]) {
      throw core::Error(core::ExitCode::runtime,
                        "SHOW CREATE TABLE " + database + "." + table + " returned nothing");
    }
    create_sql = *create[0][1] + ";\n";
    rows.emplace(connection.stream(select_rows(database, table, raw)));
    first_row = rows->next();
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() == k_no_such_table) {
      record.outcome = archive::TableOutcome::dropped_during_backup;
      m_reporter.warn(database + "." + table + " was dropped during the backup; recorded as such");
      return record;
    }
    if (e.mysql_errno() == k_table_def_changed && postal::raw_table_date(table)) {
      record.outcome = archive::TableOutcome::created_after_snapshot;
      return record;
    }
    if (e.mysql_errno() == k_table_def_changed) {
      throw core::Error(
          core::ExitCode::runtime,
          "table " + database + "." + table
              + " was altered or replaced while the backup ran (a Postal upgrade, or a "
                "restore into this server)",
          {"run the backup again once the schema change or the restore has "
           "finished"});
    }
    throw;
  }
  write_schema(database, table, create_sql);
  write_rows(*rows, first_row, record, raw);
  return record;
}

void TableDumper::write_schema(const std::string& database,
                               const std::string& table,
                               const std::string& create_sql) {
  archive::CompressedMember member(m_settings.compression);
  member.input().write(create_sql);
  member.finish();
  m_archive.add_member(archive::schema_member_path(database, table),
                       archive::MemberKind::schema,
                       database,
                       table,
                       member);
}

// Rows go into members of about chunk_raw_bytes of TSV each, so neither the writer nor a
// restore holds a whole table; a raw table's members also end at id blocks (raw_id_blocks.hpp).
// Progress is reported every k_progress_step encoded bytes.
void TableDumper::write_rows(core::db::RowStream& rows,
                             const core::db::RowView* first_row,
                             archive::TableRecord& record,
                             const RawCopy* raw) {
  const std::string label = record.database + "/" + record.table;
  std::optional<RowsChunk> chunk;
  core::hash::Sha256 content;
  std::uint64_t reported = 0; // bytes of the open chunk already added to m_progress
  std::optional<RawIdBlocks> blocks;
  if (postal::raw_table_date(record.table)) {
    blocks.emplace(rows.column_names(), raw ? raw->rewritable : nullptr);
  }
  const auto end_chunk = [&] {
    m_progress.done += chunk->encoder.bytes() - reported;
    reported = 0;
    store_chunk(m_archive, *chunk, record);
    chunk.reset();
    if (blocks) {
      blocks->add_member();
    }
  };
  // Reused blocks below `id` (all that are left, without one) go in before the row.
  std::size_t next_reused = 0;
  const auto reference_blocks_before = [&](std::optional<std::int64_t> id) {
    for (; raw && next_reused < raw->reused.size(); ++next_reused) {
      const auto& reused = raw->reused[next_reused];
      if (id && raw_id_block_of(reused.block.first_id) >= raw_id_block_of(*id)) {
        return;
      }
      if (chunk) {
        end_chunk();
      }
      reference_block(m_archive, reused, record);
      if (blocks) {
        blocks->add_reused(reused.block);
      }
    }
  };
  for (const core::db::RowView* row = first_row; row != nullptr; row = rows.next()) {
    if (const auto id = blocks ? blocks->id_of(*row) : std::nullopt) {
      reference_blocks_before(id);
    }
    if (blocks && blocks->starts_block(*row) && chunk) {
      end_chunk();
    }
    if (!chunk) {
      core::throw_if_interrupted();
      chunk.emplace(m_settings.compression, content);
    }
    const std::uint64_t row_bytes = value_bytes(*row);
    require_restorable_row(label, row_bytes);
    chunk->encoder.encode(*row);
    if (blocks) {
      blocks->add_row(*row);
    }
    record.max_row_size = std::max(record.max_row_size, row_bytes);
    const std::uint64_t encoded = chunk->encoder.bytes();
    if (encoded - reported >= k_progress_step) {
      m_progress.done += encoded - reported;
      reported = encoded;
      m_reporter.progress({m_progress.done, m_progress.total, true, label});
    }
    if (encoded >= m_settings.chunk_raw_bytes) {
      end_chunk();
    }
  }
  if (chunk) {
    end_chunk();
  }
  reference_blocks_before(std::nullopt);
  if (raw) {
    // A reused block's rows are bounded by the earlier copy's largest row.
    record.max_row_size =
        std::max(record.max_row_size, raw->reused.empty() ? 0 : raw->reused_max_row_size);
    record.proof = raw->proof;
    const auto found = blocks ? blocks->blocks() : std::nullopt;
    record.proof->id_block = found ? k_raw_id_block : 0;
    record.proof->blocks = found.value_or(std::vector<archive::RawIdBlock>{});
  }
  // The digest saw only the rows read now; a reused block's rows would have to be
  // decompressed to add them, which is what reusing them saves. A drill counts such a table.
  if (!raw || raw->reused.empty()) {
    record.content_sha256 = content.finish_hex();
  }
  m_reporter.progress({m_progress.done, m_progress.total, true, label});
}

} // namespace pbk::backup
