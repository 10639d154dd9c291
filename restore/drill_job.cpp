// SPDX-License-Identifier: MIT
#include "restore/drill_job.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_key.hpp"
#include "archive/archive_walk.hpp"
#include "archive/create_database_statement.hpp"
#include "archive/member_path.hpp"
#include "postal/live_schema_check.hpp"
#include "postal/postal_databases.hpp"
#include "postal/postal_invariants.hpp"
#include "postal/schema_release_facts.hpp"

#include "core/db/connection.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/interrupt.hpp"
#include "restore/content_digest.hpp"
#include "restore/drill_scratch.hpp"
#include "restore/gate.hpp"
#include "restore/preflight.hpp"
#include "restore/restore_control.hpp"
#include "restore/restore_scope.hpp"
#include "restore/server_collations.hpp"
#include "restore/server_tasks.hpp"
#include "restore/staging_loader.hpp"
#include "restore/swap.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <set>

namespace pbk::restore {
namespace {

using core::db::Connection;

class DrillRun {
public:
  DrillRun(const DrillOptions& options, core::Reporter& reporter)
      : m_options(options),
        m_reporter(reporter) {}

  DrillOutcome run() {
    const auto started = std::chrono::steady_clock::now();
    m_outcome.archive = m_options.archive;
    archive::ArchiveScanner scanner(m_options.archive);
    // As restore: the manifest is authenticated before anything is written, and the load
    // then reads the same open file again, held to it.
    m_contents = archive::read_authentic(scanner,
                                         m_options.secret,
                                         archive::KeyUse::required,
                                         archive::load_public_key(m_options.public_key));
    scanner.rewind();
    archive::ArchiveWalk walk(scanner);
    m_outcome.info = walk.read_backup_info();
    walk.set_opener(archive::MemberOpener::for_archive(
        walk.info(), m_options.secret, archive::KeyUse::required));
    if (walk.observed().front().sha256 != m_contents->manifest.members.front().sha256) {
      throw_changed();
    }
    plan_upgrade();
    connect();
    DrillScratch scratch(*m_control);
    m_outcome.id = scratch.id();
    m_outcome.removed_leftovers = scratch.remove_abandoned();
    check_target();
    try {
      load(walk, scratch);
      check_structure();
      check_invariants();
      check_tables();
      if (m_options.target) {
        rehearse_upgrade();
      }
      core::throw_if_interrupted();
      scratch.drop();
    } catch (...) {
      m_read_back.reset(); // no table is read while the scratch databases are dropped
      if (core::interrupted()) {
        throw core::Error(core::ExitCode::interrupted,
                          "drill " + m_outcome.id
                              + " interrupted; its scratch databases are "
                                "dropped, the live databases were not touched");
      }
      throw;
    }
    m_outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return m_outcome;
  }

private:
  [[noreturn]] void throw_changed() const {
    throw core::IntegrityError(m_options.archive + ": the archive changed while the drill read it",
                               {"let whatever writes it finish, then run the drill again"});
  }

  // --target-version: what restore would decide for this archive into that release, refused
  // the same way (exit 5) before anything is loaded.
  void plan_upgrade() {
    if (!m_options.target) {
      return;
    }
    m_plan = postal::make_plan(m_outcome.info, *m_options.target, m_options.catalog);
    if (m_plan.verdict == postal::Verdict::refused) {
      throw core::Error(core::ExitCode::refused,
                        "drill refused: " + m_plan.reason,
                        {"`postal-backup plan` explains the verdict; nothing was loaded"});
    }
    auto& upgrade = m_outcome.upgrade.emplace();
    upgrade.target_version = m_options.target->version;
    upgrade.verdict = m_plan.verdict;
    for (const auto& warning : m_plan.warnings) {
      m_outcome.warnings.push_back(warning);
    }
  }

  void connect() {
    auto control = m_options.connection;
    control.role = "drill server";
    m_control.emplace(Connection::connect(control));
  }

  // What restore refuses before its first write, refused here too (the same charsets,
  // collations and server settings), checked against the scratch names.
  void check_target() {
    (void)choose_load_methods(*m_control, m_options.load_method);
    m_collations = ServerCollations::read(*m_control);
    for (const auto& database : m_outcome.info.databases) {
      archive::check_database_charset(database, m_options.archive);
      m_collations->check(database, m_options.archive);
      m_outcome.databases.push_back({database.name,
                                     drill_database_name(m_outcome.id, database),
                                     database.role,
                                     database.schema_level,
                                     0});
    }
    m_target =
        m_options.target ? *m_options.target : own_level_target(m_outcome.info, m_options.catalog);
    PreflightInput input;
    input.postal3_target = m_target.era == postal::Era::v3;
    for (const auto& database : m_outcome.databases) {
      input.databases.push_back(database.scratch);
    }
    for (const auto& table : m_contents->manifest.tables) {
      input.largest_row = std::max(input.largest_row, table.max_row_size);
      input.raw_bytes += table.raw_size;
    }
    for (auto& warning : preflight(*m_control, input).warnings) {
      m_outcome.warnings.push_back(std::move(warning));
    }
  }

  void load(archive::ArchiveWalk& walk, DrillScratch& scratch) {
    StagingOptions staging;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto& database = m_outcome.info.databases[i];
      const auto& name = m_outcome.databases[i].scratch;
      scratch.track(name);
      m_control->execute(archive::create_database_sql(name, database, m_options.archive));
      staging.staging_for[database.name] = name;
    }
    staging.force_dynamic_row_format = m_target.era == postal::Era::v3;
    staging.collations = &*m_collations;
    staging.loading = m_options.connection;
    staging.loading.role = "drill server";
    staging.workers = m_options.workers;
    staging.method = m_options.load_method;
    staging.opener = walk.opener();
    staging.bounds = archive::RecordedBounds(m_contents->manifest);
    for (const auto& member : m_contents->manifest.members) {
      staging.stored_total += member.size;
    }
    start_read_back(staging);
    StagingLoader loader(*m_control, walk.info(), staging, m_reporter);
    m_outcome.load_method = to_string(loader.methods());
    (void)walk.read_members(
        [&](archive::ArchiveScanner& scanner, const core::tar::TarMember& member) {
          if (archive::config_file_name(archive::unsealed_path(member.path))) {
            return observe_member(scanner, member, walk.opener());
          }
          auto observed = loader.load(scanner, member, walk.observed().size());
          core::failpoint("drill.after_member");
          core::pausepoint("drill.after_member");
          return observed;
        },
        [&](std::vector<archive::ObservedMember>& observed) { loader.finish(observed); });
    if (walk.manifest_text() != m_contents->manifest_text) {
      throw_changed();
    }
    m_outcome.rows = loader.rows();
    m_outcome.raw_bytes = loader.raw_bytes();
    m_outcome.stored_bytes = loader.stored_bytes();
  }

  // Each database as `schema check` would judge it once restored: its structure against the
  // expected schema of the level it records.
  void check_structure() {
    const auto facts = postal::schema_catalog(m_options.catalog);
    const auto main_history = postal::main_schema_history(facts.main_migrations);
    const auto message_history = postal::message_schema_history(facts.message_db_migrations);
    for (auto& database : m_outcome.databases) {
      const auto live = postal::check_live_database(
          *m_control, database.scratch, database.role, main_history, message_history);
      database.recorded_level = live.check.recorded_level;
      if (live.check.structure.expected_level.empty()) {
        m_outcome.warnings.push_back(database.name + ": no expected schema is known for level "
                                     + live.check.recorded_level
                                     + "; its structure was not checked");
      }
      for (const auto& finding : live.check.structure.findings) {
        m_outcome.failures.push_back(database.name + ": schema: " + finding.message);
      }
    }
  }

  // Postal's cross-table invariants, as a restore checks them before its swap; the archive is
  // judged alone, so a mail server whose message database it lacks is a failure.
  void check_invariants() {
    std::vector<postal::StagedDatabase> staged;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto& database = m_outcome.info.databases[i];
      staged.push_back({live_name(database, m_options.main_db, m_options.message_db_prefix),
                        m_outcome.databases[i].scratch,
                        database.role,
                        database.server_id});
    }
    const auto report =
        postal::check_postal_invariants(*m_control, staged, m_options.message_db_prefix, {});
    for (const auto& problem : report.problems) {
      m_outcome.failures.push_back("invariant: " + problem);
    }
  }

  // The tables the manifest records as complete, by scratch name, each read back as soon as
  // the load committed its last member (ServerTasks): rows and checksum from one pass
  // through the content digest, or a COUNT(*) for a table the manifest has no checksum of (an
  // older archive, and the raw tables an incremental backup took over from one).
  void start_read_back(StagingOptions& staging) {
    for (const auto& table : m_contents->manifest.tables) {
      const auto scratch = scratch_name(table.database);
      if (scratch && table.outcome == archive::TableOutcome::complete) {
        m_checked_records[{*scratch, table.table}] = &table;
      }
    }
    auto connection = m_options.connection;
    connection.role = "drill server";
    // Half the loaders' lanes: the reads share the cores (and the memory bound, 200 MiB) with
    // the loaders while the load goes on.
    m_read_back.emplace(connection, std::max(1u, m_options.workers / 2), prepare_digest_session);
    staging.manifest = &m_contents->manifest;
    staging.on_table_loaded = [this](const archive::TableId& table) {
      if (const auto found = m_checked_records.find(table); found != m_checked_records.end()) {
        read_back(table, found->second->content_sha256.has_value());
      }
    };
  }

  // Reads the table once: its content digest, or only its rows.
  void read_back(const archive::TableId& table, bool digest) {
    {
      std::lock_guard lock(m_read_mutex);
      if (!m_read_started.insert(table).second) {
        return;
      }
    }
    m_read_back->add([this, table, digest](Connection& connection) {
      const auto& [database, name] = table;
      TableContent found;
      if (digest) {
        found = read_table_content(connection, database, name);
      } else {
        const auto counted = connection.query_value("SELECT COUNT(*) FROM "
                                                    + Connection::qualified_name(database, name));
        found.rows = core::parse_decimal<std::uint64_t>(counted.value_or("")).value_or(0);
      }
      bool drop = false;
      {
        std::lock_guard lock(m_read_mutex);
        m_read[table] = std::move(found);
        drop = m_drop_when_read;
      }
      if (drop) {
        drop_table(connection, table);
      }
    });
  }

  // Without a rehearsal nothing needs a table once the structure and invariants were checked
  // and it was read back: each is dropped as soon as it is read, on the lane that read it,
  // while the others are still being read, so the drop at the end has little left to do.
  void drop_tables_once_read() {
    std::vector<archive::TableId> read;
    {
      std::lock_guard lock(m_read_mutex);
      m_drop_when_read = true;
      for (const auto& [table, content] : m_read) {
        read.push_back(table);
      }
    }
    for (const auto& table : read) {
      m_read_back->add([table](Connection& connection) { drop_table(connection, table); });
    }
  }

  static void drop_table(Connection& connection, const archive::TableId& table) {
    connection.execute("DROP TABLE IF EXISTS "
                       + Connection::qualified_name(table.first, table.second));
  }

  [[nodiscard]] std::optional<std::string> scratch_name(const std::string& database) const {
    for (const auto& drilled : m_outcome.databases) {
      if (drilled.name == database) {
        return drilled.scratch;
      }
    }
    return std::nullopt;
  }

  // Every table the manifest records as complete is there, holds exactly the rows it records,
  // and (where the manifest records one) has its content checksum. Each table is read once;
  // a table the load did not announce is read now. The outcome says how many tables had no
  // checksum to compare.
  void check_tables() {
    std::map<std::string, std::set<std::string>> present;
    std::vector<std::pair<std::string, const archive::TableRecord*>> checked;
    for (const auto& table : m_contents->manifest.tables) {
      const auto scratch = scratch_name(table.database).value_or("");
      const auto found = m_checked_records.find({scratch, table.table});
      if (found == m_checked_records.end()) {
        continue;
      }
      const auto& [id, record] = *found;
      if (!present.contains(scratch)) {
        const auto tables = base_tables(*m_control, scratch);
        present[scratch] = std::set<std::string>(tables.begin(), tables.end());
      }
      const std::string label = record->database + "." + record->table;
      if (!present[scratch].contains(record->table)) {
        m_outcome.failures.push_back(label + ": the table is missing after the restore");
        continue;
      }
      read_back(id, record->content_sha256.has_value());
      checked.emplace_back(label, record);
    }
    for (auto& database : m_outcome.databases) {
      database.tables = present.contains(database.scratch) ? present[database.scratch].size() : 0;
    }
    if (!m_options.target) {
      drop_tables_once_read();
    }
    m_read_back->finish();
    m_read_back.reset();
    for (const auto& [label, record] : checked) {
      const auto scratch = *scratch_name(record->database);
      judge_table(label, *record, m_read.at({scratch, record->table}));
    }
    if (m_outcome.tables_counted_only > 0) {
      m_outcome.warnings.push_back(
          std::to_string(m_outcome.tables_counted_only)
          + " tables have no content checksum in the manifest (stored by an older "
            "postal-backup): they were checked by row count only");
    }
  }

  void judge_table(const std::string& label,
                   const archive::TableRecord& record,
                   const TableContent& found) {
    if (found.rows != record.rows) {
      m_outcome.failures.push_back(label + ": the manifest records " + std::to_string(record.rows)
                                   + " rows, the restored table holds "
                                   + std::to_string(found.rows));
    } else if (!record.content_sha256) {
      ++m_outcome.tables_counted_only;
    } else if (found.sha256 == *record.content_sha256) {
      ++m_outcome.tables_checksum_matched;
    } else {
      m_outcome.failures.push_back(label
                                   + ": the restored rows differ from the archive's (content "
                                     "checksum mismatch): the server changed values while "
                                     "loading them");
    }
  }

  // The jump to the target release, made in the scratch databases: the operator's command
  // migrates them (never the live ones: it is told the scratch names, and a change to the live
  // install's recorded migrations is a failure), then the restore gate judges them against the
  // target, recorded migrations and structure.
  void rehearse_upgrade() {
    auto& upgrade = *m_outcome.upgrade;
    if (!m_outcome.failures.empty()) {
      m_outcome.warnings.push_back("the jump to " + upgrade.target_version
                                   + " was not rehearsed: the archive fails at its own level");
      return;
    }
    upgrade.rehearsed = true;
    const bool run =
        !m_options.migrate_with.empty() && upgrade.verdict == postal::Verdict::migrations_required;
    if (run) {
      const auto live_before = live_migrations();
      upgrade.command_exit =
          run_operator_command(m_options.migrate_with, command_environment(), m_reporter);
      core::throw_if_interrupted();
      if (live_migrations() != live_before) {
        m_outcome.failures.push_back(
            "`" + m_options.migrate_with
            + "` changed the recorded migrations of the live install: it must migrate the "
              "databases named by MAIN_DB_DATABASE and MESSAGE_DB_PREFIX (docs/operations.md, "
              "\"Restore drills\")");
      }
      if (*upgrade.command_exit != 0) {
        m_outcome.failures.push_back("upgrade to " + upgrade.target_version + ": `"
                                     + m_options.migrate_with + "` failed with exit status "
                                     + std::to_string(*upgrade.command_exit));
      }
    }
    judge_upgrade(upgrade, !m_options.migrate_with.empty());
  }

  // The gate as `finish` would judge the scratch databases; with --migrate-with, what keeps it
  // closed is a failure of the rehearsal, without it the migrations a restore would await.
  void judge_upgrade(DrillUpgrade& upgrade, bool migrated) {
    std::vector<JournalDatabase> scratch;
    for (const auto& database : m_outcome.databases) {
      scratch.push_back({database.scratch, "", "", database.role, false});
    }
    const auto gate = evaluate_gate(*m_control, scratch, *m_options.target, m_options.catalog);
    upgrade.gate_holds = gate.holds;
    for (const auto& line : gate.missing) {
      upgrade.missing.push_back(archive_named(line));
      if (migrated) {
        m_outcome.failures.push_back("upgrade to " + upgrade.target_version + ": "
                                     + upgrade.missing.back());
      }
    }
    for (const auto& warning : gate.warnings) {
      m_outcome.warnings.push_back(archive_named(warning));
    }
  }

  // A line that begins with a scratch name, beginning with the archive's name instead.
  [[nodiscard]] std::string archive_named(const std::string& line) const {
    for (const auto& database : m_outcome.databases) {
      if (line.starts_with(database.scratch + ":")) {
        return database.name + line.substr(database.scratch.size());
      }
    }
    return line;
  }

  // What --migrate-with is told: the drill, the target, and the scratch names in the forms
  // Postal reads (MAIN_DB_DATABASE; MESSAGE_DB_PREFIX for 2.x, whose postal.yml keys win over
  // it; MESSAGE_DB_DATABASE_NAME_PREFIX for 3.x, where it wins over postal.yml).
  [[nodiscard]] std::map<std::string, std::string> command_environment() const {
    const auto prefix = drill_message_db_prefix(m_outcome.id);
    return {{"POSTAL_BACKUP_DRILL_ID", m_outcome.id},
            {"POSTAL_BACKUP_TARGET_VERSION", m_options.target->version},
            {"MAIN_DB_DATABASE", drill_main_database(m_outcome.id)},
            {"MESSAGE_DB_PREFIX", prefix},
            {"MESSAGE_DB_DATABASE_NAME_PREFIX", prefix}};
  }

  // The live install's recorded migrations, database by database: a command that reached it
  // instead of the scratch databases changes them.
  [[nodiscard]] std::map<std::string, std::vector<std::string>> live_migrations() {
    std::map<std::string, std::vector<std::string>> recorded;
    const auto rows =
        m_control->query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA").rows();
    for (const auto& row : rows) {
      const auto name = row.at(0).value_or("");
      const bool main = name == m_options.main_db;
      if (!main && !postal::message_db_server_id(name, m_options.message_db_prefix)) {
        continue;
      }
      try {
        recorded[name] = main ? postal::read_main_migrations(*m_control, name)
                              : postal::read_message_migrations(*m_control, name);
      } catch (const core::Error&) {
        recorded[name] = {}; // not a Postal database (yet): a change still shows
      }
    }
    return recorded;
  }

  const DrillOptions& m_options;
  core::Reporter& m_reporter;
  DrillOutcome m_outcome;
  std::optional<archive::AuthenticArchive> m_contents;
  std::optional<Connection> m_control;
  std::optional<ServerCollations> m_collations;
  std::map<archive::TableId, const archive::TableRecord*> m_checked_records; // by scratch name
  std::mutex m_read_mutex;
  std::set<archive::TableId> m_read_started;
  std::map<archive::TableId, TableContent> m_read;
  bool m_drop_when_read = false; // under m_read_mutex
  // Declared after what its lanes use, so it is joined before that goes away.
  std::optional<ServerTasks> m_read_back;
  postal::MigrationTarget m_target;
  postal::Plan m_plan;
};

} // namespace

std::string drill_database_name(const std::string& id, const archive::DatabaseInfo& database) {
  return live_name(database, drill_main_database(id), drill_message_db_prefix(id));
}

DrillOutcome run_drill(const DrillOptions& options, core::Reporter& reporter) {
  if (options.archive == "-") {
    throw core::Error(core::ExitCode::usage,
                      "drill reads an archive file or a backup directory, not standard input",
                      {"save the stream to a file first"});
  }
  return DrillRun(options, reporter).run();
}

} // namespace pbk::restore
