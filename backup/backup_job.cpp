// SPDX-License-Identifier: MIT
#include "backup/backup_job.hpp"

#include "archive/archive_builder.hpp"
#include "archive/archive_key.hpp"
#include "archive/archive_output.hpp"
#include "archive/member_store.hpp"
#include "postal/raw_table_state.hpp"
#include "postal/raw_tables.hpp"
#include "postal/release_catalog.hpp"
#include "postal/schema_hash.hpp"

#include "backup/config_directory.hpp"
#include "backup/raw_id_blocks.hpp"
#include "backup/reuse_source.hpp"
#include "backup/shared_instant.hpp"
#include "backup/snapshot.hpp"
#include "core/clock.hpp"
#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/locked_reporter.hpp"
#include "core/parallel/worker_pool.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <memory>

namespace pbk::backup {
namespace {

bool is_privilege_error(unsigned mysql_errno) {
  using namespace core::db;
  return mysql_errno == k_table_access_denied || mysql_errno == k_db_access_denied
         || mysql_errno == k_missing_privilege || mysql_errno == k_column_access_denied;
}

// The releases that have these levels, by the built-in catalog. Message DBs are judged by the
// highest level among them: Postal provisions new mail servers at its own level, while old
// ones may lag behind where message DBs were never migrated (1.x before 2020-10-01).
std::optional<std::string> release_range(const std::vector<archive::DatabaseInfo>& databases,
                                         const std::string& main_level) {
  std::string message_level;
  for (const auto& database : databases) {
    if (database.role == archive::DatabaseRole::message
        && (message_level.empty()
            || core::compare_levels(database.schema_level, message_level) > 0)) {
      message_level = database.schema_level;
    }
  }
  const auto catalog = postal::ReleaseCatalog::built_in();
  auto range = catalog.release_range(main_level, message_level);
  return range ? range : catalog.release_range(main_level, "");
}

struct PlannedTable {
  std::size_t database_index;
  std::string table;
  // Incremental backups' past raw tables: how the table stands, recorded with its copy.
  std::optional<archive::RawTableProof> proof;
  // Unsettled: the rows Postal may still rewrite (in BackupRun::m_rewritable).
  const postal::RewritableRows* rewritable = nullptr;
  // Blocks of the repository's copy taken instead of read (plan_reused_blocks).
  std::vector<ReusedBlock> reused{};
  std::uint64_t reused_max_row_size = 0;
};

// The repository's lock is waited for this long before create gives up (docs/operations.md).
constexpr std::chrono::seconds k_repository_lock_wait{600};

// One execution of `create`; members are the state that flows between its steps.
class BackupRun {
public:
  BackupRun(const BackupOptions& options, core::Reporter& reporter)
      : m_options(options),
        m_reporter(reporter),
        m_dump(options.dump) {}

  BackupSummary execute();

private:
  void connect();
  void open_lanes();
  void describe_databases();
  void begin_snapshots();
  void read_state_in_snapshots();
  [[nodiscard]] core::db::Connection& connection_for(std::size_t lane, std::size_t server);
  [[nodiscard]] Snapshot& snapshot_for(std::size_t lane, std::size_t server);

  // Lanes for tables read inside the snapshot: all of them when their snapshots share its
  // instant, else one.
  [[nodiscard]] std::size_t snapshot_lanes() const { return m_lane_snapshots.size() + 1; }

  [[nodiscard]] archive::BackupInfo build_info() const;
  [[nodiscard]] std::unique_ptr<archive::ArchiveOutput>
  open_output(const archive::BackupInfo& info) const;
  void dump_tables(archive::ArchiveBuilder& builder,
                   const std::vector<PlannedTable>& tables,
                   bool snapshot,
                   std::size_t lanes);
  [[nodiscard]] archive::TableRecord dump_table(TableDumper& dumper,
                                                core::db::Connection& connection,
                                                const PlannedTable& planned,
                                                bool snapshot);

  // create --incremental
  void open_repository();
  void plan_past_raw_tables(std::size_t database_index, const std::vector<std::string>& past);
  [[nodiscard]] const StoredTable* stored_copy(const archive::DatabaseInfo& database,
                                               const std::string& table,
                                               const archive::RawTableProof& now) const;
  [[nodiscard]] bool in_store(const std::vector<archive::MemberRecord>& members,
                              const std::string& label) const;
  [[nodiscard]] bool can_reference(const archive::DatabaseInfo& database,
                                   const std::string& table,
                                   const archive::RawTableProof& now) const;
  void plan_reused_blocks(PlannedTable& planned) const;
  void verify_reused_tables();
  void reference_reused_tables(archive::ArchiveBuilder& builder);

  const BackupOptions& m_options;
  core::Reporter& m_reporter;
  DumpSettings m_dump;
  std::vector<core::db::Connection> m_connections; // one per server
  std::vector<std::unique_ptr<Snapshot>> m_snapshots;
  // Lanes 1… read the first server beside m_connections[0] (lane 0).
  std::vector<core::db::Connection> m_lane_connections;
  std::vector<std::unique_ptr<Snapshot>> m_lane_snapshots;
  std::size_t m_lanes = 1; // lanes for tables read outside the snapshot
  std::string m_one_snapshot_connection_because;
  std::vector<postal::PostalDatabase> m_databases;
  std::vector<archive::DatabaseInfo> m_infos;
  std::vector<PlannedTable> m_snapshot_tables;
  std::vector<PlannedTable> m_past_raw_tables;
  ProgressCounter m_progress;
  core::SystemTime m_created_at;
  std::optional<ConfigDirectory> m_config;
  archive::ArchiveProtection m_protection;
  // create --incremental
  std::shared_ptr<const archive::MemberStore> m_store;
  std::optional<core::io::FileLock> m_lock;
  std::optional<ReuseSource> m_reuse;
  std::vector<PlannedTable> m_reused; // referenced from m_reuse, not read
  // Per database (index of m_databases): its unsettled raw tables and their rewritable rows.
  std::vector<std::map<std::string, postal::RewritableRows>> m_rewritable;
  std::atomic<std::size_t> m_reused_blocks{0}; // taken by tables read again (lanes add at once)
};

void BackupRun::connect() {
  const bool one_server = m_options.main_connection.same_server_as(m_options.message_connection);
  auto main_options = m_options.main_connection;
  if (one_server) {
    main_options.role = "database server"; // it serves main and message databases alike
  }
  m_connections.push_back(core::db::Connection::connect(main_options));
  if (!one_server) {
    m_connections.push_back(core::db::Connection::connect(m_options.message_connection));
    m_reporter.warn("main_db and message_db are different servers: each server's databases "
                    "share one instant, the two servers are read moments apart");
  }
  for (auto& connection : m_connections) {
    prepare_dump_session(connection);
  }
  open_lanes();
  m_databases = find_postal_databases(
      m_connections.front(), m_connections.back(), m_connections.size() - 1, m_options.selection);
}

// Several lanes read one server side by side, each compressing its own members; one lane
// leaves the compression to zstd's worker threads instead. Main and message databases on
// two servers are read with one connection each.
void BackupRun::open_lanes() {
  const unsigned threads = m_options.threads;
  if (threads < 2 || m_connections.size() > 1) {
    m_dump.compression.workers = static_cast<int>(threads);
    return;
  }
  auto options = m_options.main_connection;
  options.role = "database server";
  for (unsigned lane = 1; lane < threads; ++lane) {
    m_lane_connections.push_back(core::db::Connection::connect(options));
    prepare_dump_session(m_lane_connections.back());
  }
  m_lanes = threads;
  m_dump.compression.workers = 0;
}

core::db::Connection& BackupRun::connection_for(std::size_t lane, std::size_t server) {
  return lane == 0 ? m_connections[server] : m_lane_connections[lane - 1];
}

Snapshot& BackupRun::snapshot_for(std::size_t lane, std::size_t server) {
  return lane == 0 ? *m_snapshots[server] : *m_lane_snapshots[lane - 1];
}

// The lanes share the snapshot's instant when the server lets them (BACKUP STAGE); else the
// tables inside the snapshot are read by one connection, and the lanes still share the past
// raw tables, which are read outside it.
void BackupRun::begin_snapshots() {
  for (auto& connection : m_connections) {
    m_snapshots.push_back(std::make_unique<Snapshot>(connection));
  }
  if (m_lanes > 1) {
    std::vector<Snapshot*> shared{m_snapshots.front().get()};
    for (auto& connection : m_lane_connections) {
      m_lane_snapshots.push_back(std::make_unique<Snapshot>(connection));
      shared.push_back(m_lane_snapshots.back().get());
    }
    const auto refused = begin_at_one_instant(m_options.main_connection, shared);
    if (!refused) {
      return;
    }
    m_lane_snapshots.clear();
    // Not a warning: a SELECT-only backup user is the documented minimum, and nightly cron
    // mail must stay empty for it. The summary says it.
    m_one_snapshot_connection_because = *refused;
  }
  for (auto& snapshot : m_snapshots) {
    snapshot->begin();
  }
}

void BackupRun::describe_databases() {
  // information_schema opens every table; doing it before the snapshot keeps those metadata
  // locks out of the long transaction.
  for (const auto& database : m_databases) {
    auto& connection = m_connections[database.connection_index];
    const postal::SchemaInfo schema = postal::load_schema(connection, database.name);
    archive::DatabaseInfo info;
    info.name = database.name;
    info.role = database.role;
    info.server_id = database.server_id;
    info.server_index = database.connection_index;
    info.charset = schema.charset;
    info.collation = schema.collation;
    info.schema_hash = postal::schema_hash(schema);
    m_infos.push_back(std::move(info));
    const auto size = connection.query_value(
        "SELECT COALESCE(SUM(DATA_LENGTH), 0) FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = "
        + connection.quote(database.name));
    m_progress.total += size ? std::stoull(*size) : 0;
  }
}

void BackupRun::read_state_in_snapshots() {
  m_created_at = std::chrono::system_clock::now();
  begin_snapshots();
  const auto today = std::chrono::floor<std::chrono::days>(m_created_at);
  m_rewritable.resize(m_databases.size());
  for (std::size_t i = 0; i < m_databases.size(); ++i) {
    const auto& database = m_databases[i];
    auto& snapshot = *m_snapshots[database.connection_index];
    auto& info = m_infos[i];
    info.tables = snapshot.list_tables(database.name);
    snapshot.with_released_locks([&] {
      info.migrations = database.role == archive::DatabaseRole::main
                            ? postal::read_main_migrations(snapshot.connection(), database.name)
                            : postal::read_message_migrations(snapshot.connection(), database.name);
    });
    info.schema_level = info.migrations.empty() ? "0" : info.migrations.back();
    std::vector<std::string> past;
    for (const auto& table : info.tables) {
      const bool past_raw = database.role == archive::DatabaseRole::message
                            && postal::is_past_raw_table(table, today);
      if (past_raw) {
        past.push_back(table);
      } else {
        m_snapshot_tables.push_back({i, table, std::nullopt});
      }
    }
    plan_past_raw_tables(i, past);
  }
}

// A full backup reads past raw tables after the snapshot. An incremental one first asks
// Postal's state, inside the snapshot, which of them Postal may still rewrite (a message not
// yet processed: raw_table_state.hpp): those are read inside the snapshot, so their rows match
// the messages table, and recorded as unsettled, never to be referenced whole. The others are
// referenced when the repository's copy was made of the same settled table (same fingerprint),
// else read after the snapshot and recorded with their checksum. Either kind of table read
// takes the blocks of the repository's copy that still hold what they held (plan_reused_blocks).
void BackupRun::plan_past_raw_tables(std::size_t database_index,
                                     const std::vector<std::string>& past) {
  if (!m_options.incremental.enabled) {
    for (const auto& table : past) {
      m_past_raw_tables.push_back({database_index, table, std::nullopt});
    }
    return;
  }
  const auto& database = m_databases[database_index];
  auto& snapshot = *m_snapshots[database.connection_index];
  auto& main_snapshot = *m_snapshots.front();
  auto& rewritable = m_rewritable[database_index];
  snapshot.with_released_locks([&] {
    rewritable = postal::rewritable_raw_rows(snapshot.connection(),
                                             database.name,
                                             main_snapshot.connection(),
                                             m_options.selection.main_db,
                                             database.server_id.value_or(0));
  });
  for (const auto& table : past) {
    archive::RawTableProof proof;
    snapshot.with_released_locks([&] {
      const auto fingerprint =
          postal::raw_table_fingerprint(snapshot.connection(), database.name, table);
      proof.max_id = fingerprint.max_id;
      proof.messages = fingerprint.messages;
      proof.recorded_size = fingerprint.recorded_size;
    });
    const auto found = rewritable.find(table);
    proof.settled = found == rewritable.end();
    PlannedTable planned{database_index, table, proof};
    if (proof.settled && can_reference(m_infos[database_index], table, proof)) {
      m_reused.push_back(std::move(planned));
      continue;
    }
    planned.rewritable = proof.settled ? nullptr : &found->second;
    plan_reused_blocks(planned);
    (proof.settled ? m_past_raw_tables : m_snapshot_tables).push_back(std::move(planned));
  }
}

// The repository's copy of the table, when there is one of the table with the same fingerprint
// and --full does not ask to store everything anew.
const StoredTable* BackupRun::stored_copy(const archive::DatabaseInfo& database,
                                          const std::string& table,
                                          const archive::RawTableProof& now) const {
  if (!m_reuse || m_options.incremental.full) {
    return nullptr;
  }
  const auto found = m_reuse->tables.find({database.name, table});
  if (found == m_reuse->tables.end()) {
    return nullptr;
  }
  const auto& stored = *found->second.record.proof;
  if (stored.max_id != now.max_id || stored.messages != now.messages
      || stored.recorded_size != now.recorded_size) {
    return nullptr;
  }
  return &found->second;
}

bool BackupRun::in_store(const std::vector<archive::MemberRecord>& members,
                         const std::string& label) const {
  try {
    for (const auto& member : members) {
      (void)m_store->open({member.sha256, member.size}, member.path);
    }
  } catch (const core::IntegrityError& e) {
    m_reporter.warn(std::string(e.what()) + "; storing " + label + " again");
    return false;
  }
  return true;
}

// The repository's copy stands for the table only when it was made of the settled table and
// the table still has the same fingerprint, and every member of it is still in the store.
bool BackupRun::can_reference(const archive::DatabaseInfo& database,
                              const std::string& table,
                              const archive::RawTableProof& now) const {
  const auto* stored = stored_copy(database, table, now);
  return stored && stored->record.proof->settled
         && in_store(stored->members, database.name + "." + table);
}

// A table read again (unsettled now, or its copy was made unsettled) whose copy has the same
// fingerprint: an id block of the copy still holds what it held when it was clean in the
// copy's snapshot (no row of an unsettled message: nothing Postal rewrites in place since) and
// holds no row Postal may rewrite now. Those blocks' members are taken, the rest is read.
// Not under --verify-reused (the weekly run reads such tables whole, which records their
// checksum) nor for sealed members, whose path is sealed with them (they cannot be renumbered).
void BackupRun::plan_reused_blocks(PlannedTable& planned) const {
  const auto& database = m_infos[planned.database_index];
  const auto* stored = stored_copy(database, planned.table, *planned.proof);
  // Settled now and then: can_reference() refused the copy for a member not in the store.
  if (!stored || (planned.proof->settled && stored->record.proof->settled)
      || m_options.incremental.verify_reused || m_protection.key
      || stored->record.proof->id_block != k_raw_id_block) {
    return;
  }
  std::vector<archive::MemberRecord> rows;
  for (const auto& member : stored->members) {
    if (member.kind == archive::MemberKind::rows) {
      rows.push_back(member);
    }
  }
  std::vector<ReusedBlock> reused{};
  std::size_t next = 0;
  for (const auto& block : stored->record.proof->blocks) {
    if (block.members > rows.size() - next) {
      return; // parse_manifest holds blocks to the table's members; never trust it twice
    }
    const auto start = raw_id_block_of(block.first_id) * k_raw_id_block;
    const auto first_member = rows.begin() + static_cast<std::ptrdiff_t>(next);
    next += block.members;
    if (!block.dirty
        && !(planned.rewritable && planned.rewritable->any_in(start, start + k_raw_id_block - 1))) {
      reused.push_back({block, {first_member, rows.begin() + static_cast<std::ptrdiff_t>(next)}});
    }
  }
  std::vector<archive::MemberRecord> needed;
  for (const auto& block : reused) {
    needed.insert(needed.end(), block.members.begin(), block.members.end());
  }
  if (next != rows.size() || reused.empty()
      || !in_store(needed, database.name + "." + planned.table)) {
    return;
  }
  planned.reused = std::move(reused);
  planned.reused_max_row_size = stored->record.max_row_size;
}

archive::BackupInfo BackupRun::build_info() const {
  archive::BackupInfo info;
  info.tool_version = PBK_VERSION;
  info.created_at = core::iso8601_utc(m_created_at);
  info.tag = m_options.tag;
  info.postal.version = m_options.postal_version;
  info.postal.version_source = m_options.version_source;
  info.postal.message_db_prefix = m_options.selection.message_db_prefix;
  for (const auto& database : m_infos) {
    if (database.role == archive::DatabaseRole::main) {
      info.postal.main_schema_level = database.schema_level;
      info.postal.main_migrations = database.migrations;
    }
  }
  info.postal.release_range = release_range(m_infos, info.postal.main_schema_level);
  for (const auto& snapshot : m_snapshots) {
    info.servers.push_back(snapshot->server_info());
  }
  info.databases = m_infos;
  if (m_config) {
    info.config = config_info(*m_config);
  }
  info.encryption = m_protection.encryption;
  return info;
}

// Opens the store and holds the repository's lock (shared: prune deletes under the exclusive
// one, so nothing this backup is about to reference can go), then reads what the newest
// repository backup stored. Encrypted repositories keep one key: the new backup is sealed
// under the key (and salt) of the backups whose members it references.
void BackupRun::open_repository() {
  const auto& choice = m_options.incremental;
  const auto& directory = m_options.output.directory;
  auto store =
      std::make_shared<archive::MemberStore>(archive::MemberStore::open_or_create(directory));
  m_lock =
      archive::lock_repository(*store, core::io::LockMode::shared, k_repository_lock_wait, [&] {
        m_reporter.info("waiting for another postal-backup writing " + directory.string()
                        + " (its lock is held)");
      });
  m_store = store;
  if (!choice.full) {
    m_reuse = read_reuse_source(directory, choice.secret, choice.public_key, m_reporter);
  }
  if (m_reuse && m_reuse->encryption) {
    m_protection.encryption = m_reuse->encryption;
    m_protection.key = std::make_shared<const archive::ArchiveKey>(
        archive::ArchiveKey::unlock(*choice.secret, *m_reuse->encryption));
  }
}

// --verify-reused: the weekly proof that what the fingerprint cannot see (a row changed in
// place) did not happen. A table whose checksum differs from the one recorded with its copy,
// or whose copy has none, is read again.
void BackupRun::verify_reused_tables() {
  if (!m_options.incremental.verify_reused) {
    return;
  }
  std::vector<PlannedTable> still_reused;
  for (auto& planned : m_reused) {
    const auto& database = m_databases[planned.database_index];
    const auto& stored = m_reuse->tables.at({database.name, planned.table});
    const auto checksum = postal::raw_table_checksum(
        m_connections[database.connection_index], database.name, planned.table);
    if (stored.record.proof->checksum == checksum) {
      still_reused.push_back(std::move(planned));
      continue;
    }
    m_reporter.warn(database.name + "." + planned.table
                    + " changed in place since it was stored (CHECKSUM TABLE differs); it is "
                      "stored again");
    m_past_raw_tables.push_back(std::move(planned));
  }
  m_reused = std::move(still_reused);
}

void BackupRun::reference_reused_tables(archive::ArchiveBuilder& builder) {
  for (const auto& planned : m_reused) {
    const auto& database = m_databases[planned.database_index];
    const auto& stored = m_reuse->tables.at({database.name, planned.table});
    for (const auto& member : stored.members) {
      builder.add_stored_member(member);
    }
    builder.add_table(stored.record);
  }
}

std::unique_ptr<archive::ArchiveOutput>
BackupRun::open_output(const archive::BackupInfo& info) const {
  const auto& choice = m_options.output;
  if (choice.to_stdout) {
    return archive::ArchiveOutput::to_stdout();
  }
  if (!choice.directory.empty()) {
    return archive::ArchiveOutput::to_file(choice.directory / archive_file_name(info));
  }
  return archive::ArchiveOutput::to_file(choice.file);
}

void BackupRun::dump_tables(archive::ArchiveBuilder& builder,
                            const std::vector<PlannedTable>& tables,
                            bool snapshot,
                            std::size_t lanes) {
  core::LockedReporter reporter(m_reporter);
  // Shared by the lanes: it keeps no state of its own between tables.
  TableDumper dumper(builder, m_dump, reporter, m_progress);
  core::parallel::run_on_lanes(lanes, tables.size(), [&](std::size_t lane, std::size_t item) {
    const auto& planned = tables[item];
    const auto& database = m_databases[planned.database_index];
    auto& connection = connection_for(lane, database.connection_index);
    if (!snapshot) {
      builder.add_table(dump_table(dumper, connection, planned, false));
      return;
    }
    snapshot_for(lane, database.connection_index).with_released_locks([&] {
      builder.add_table(dump_table(dumper, connection, planned, true));
    });
  });
}

// A settled past raw table's checksum is taken before its rows are read, so a change made in
// between makes the recorded checksum disagree with the table later, never agree with a copy
// it does not describe.
archive::TableRecord BackupRun::dump_table(TableDumper& dumper,
                                           core::db::Connection& connection,
                                           const PlannedTable& planned,
                                           bool snapshot) {
  const auto& database = m_databases[planned.database_index];
  if (!planned.proof) {
    return dumper.dump(connection, database.name, planned.table, snapshot);
  }
  RawCopy raw{*planned.proof, planned.rewritable, planned.reused, planned.reused_max_row_size};
  // A copy that takes blocks of an earlier one is not read whole: no checksum describes it.
  if (raw.proof.settled && raw.reused.empty()) {
    raw.proof.checksum = postal::raw_table_checksum(connection, database.name, planned.table);
  }
  auto record = dumper.dump(connection, database.name, planned.table, snapshot, &raw);
  if (record.outcome == archive::TableOutcome::complete) {
    m_reused_blocks += raw.reused.size();
  }
  return record;
}

// Fails before any database work when the archive could not be written anyway.
void check_output_location(const OutputChoice& choice) {
  if (choice.to_stdout) {
    return;
  }
  const auto directory = !choice.directory.empty()           ? choice.directory
                         : choice.file.parent_path().empty() ? std::filesystem::path(".")
                                                             : choice.file.parent_path();
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    throw core::IoError(core::describe_errno("cannot write archives to " + directory.string(), err),
                        err);
  }
}

BackupSummary BackupRun::execute() {
  const auto started = std::chrono::steady_clock::now();
  check_output_location(m_options.output);
  if (!m_options.config_directory.empty()) {
    m_config = read_config_directory(m_options.config_directory);
    for (const auto& skipped : m_config->skipped) {
      m_reporter.warn("config directory: left out " + skipped);
    }
  }
  m_protection = m_options.protection;
  if (m_options.incremental.enabled) {
    open_repository();
  }
  connect();
  describe_databases();
  read_state_in_snapshots();
  BackupSummary summary;
  summary.info = build_info();
  auto output = open_output(summary.info);
  {
    archive::ArchiveBuilder builder(output->sink(),
                                    std::chrono::system_clock::to_time_t(m_created_at));
    builder.protect(m_protection);
    if (m_store) {
      builder.store_members_in(m_store);
    }
    builder.add_backup_info(summary.info);
    if (m_config) {
      add_config_members(builder, *m_config, m_dump.compression);
    }
    dump_tables(builder, m_snapshot_tables, true, snapshot_lanes());
    for (auto& snapshot : m_snapshots) {
      snapshot->commit();
    }
    for (auto& snapshot : m_lane_snapshots) {
      snapshot->commit();
    }
    verify_reused_tables();
    dump_tables(builder, m_past_raw_tables, false, m_lanes);
    reference_reused_tables(builder);
    core::throw_if_interrupted(); // a signal after the last table still means "keep nothing"
    summary.manifest = builder.finish(core::iso8601_utc(std::chrono::system_clock::now()));
    summary.stored_bytes = builder.stored_bytes();
    summary.referenced_bytes = builder.referenced_bytes();
  }
  if (m_store) {
    m_store->sync(); // every stored member durable before the backup that needs it appears
  }
  output->commit();
  m_lock.reset();
  summary.location = output->location();
  summary.stored_bytes += output->bytes();
  summary.reused_tables = m_reused.size();
  summary.reused_blocks = m_reused_blocks;
  if (m_reuse) {
    summary.reused_from = m_reuse->backup_name;
  }
  summary.archive_sha256 = output->sha256();
  summary.connections = m_lanes;
  summary.snapshot_connections = snapshot_lanes();
  summary.one_snapshot_connection_because = m_one_snapshot_connection_because;
  for (const auto& table : summary.manifest.tables) {
    summary.rows += table.rows;
    summary.raw_bytes += table.raw_size;
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string output_hint(int err) {
  switch (err) {
  case ENOSPC:
  case EDQUOT:
    return "free space where the archive is written, or write it elsewhere; nothing was kept";
  case ENOENT:
  case ENOTDIR:
    return "create the output directory first, or correct the path";
  case EACCES:
  case EPERM:
  case EROFS:
    return "write the archive where this user may create files";
  case EEXIST:
    return "another backup is writing this archive, or a killed one left its .partial: remove "
           "the .partial if no backup is running";
  case EPIPE:
    return "the program reading the archive stopped early; check it";
  default:
    return "check the output location; nothing was kept";
  }
}

} // namespace

BackupSummary run_backup(const BackupOptions& options, core::Reporter& reporter) {
  try {
    BackupRun run(options, reporter);
    return run.execute();
  } catch (const core::db::DbError& e) {
    if (!is_privilege_error(e.mysql_errno())) {
      throw;
    }
    throw core::Error(core::ExitCode::runtime,
                      e.what(),
                      {"the backup user needs SELECT on the main database and on every message "
                       "database, e.g. GRANT SELECT ON `postal`.* and GRANT SELECT ON "
                       "`postal-server-%`.*"});
  } catch (const core::IoError& e) {
    if (!e.hints().empty()) {
      throw;
    }
    throw core::Error(core::ExitCode::runtime, e.what(), {output_hint(e.err())});
  }
}

std::string archive_file_name(const archive::BackupInfo& info) {
  std::string name = "postal-backup-";
  // created_at is ISO 8601; the file name uses the compact form without separators.
  for (char c : info.created_at) {
    if (c != '-' && c != ':') {
      name.push_back(c);
    }
  }
  name += info.postal.version ? "-postal-" + *info.postal.version
                              : "-level-" + info.postal.main_schema_level;
  if (info.tag) {
    name += "-" + *info.tag;
  }
  return name + ".tar";
}

} // namespace pbk::backup
