// SPDX-License-Identifier: MIT
#include "restore/add_raw_job.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_key.hpp"
#include "archive/archive_walk.hpp"
#include "archive/create_database_statement.hpp"
#include "archive/member_path.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/interrupt.hpp"
#include "restore/gate.hpp"
#include "restore/journal.hpp"
#include "restore/restore_control.hpp"
#include "restore/restore_lock.hpp"
#include "restore/restore_scope.hpp"
#include "restore/server_collations.hpp"
#include "restore/staging_loader.hpp"
#include "restore/swap.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace pbk::restore {
namespace {

using core::db::Connection;

// What re-linking reads and writes, in the live install and in the archive alike.
const std::vector<std::string> k_message_columns{
    "id", "token", "raw_table", "raw_headers_id", "raw_body_id", "size"};
const std::vector<std::string> k_size_columns{"id", "table_name", "size"};
// Every raw table definition Postal ever made has these columns (only the blob type and the
// default charset changed, and no migration converts raw tables).
const std::vector<std::string> k_raw_columns{"data", "id", "next"};

std::vector<std::string>
columns_of(Connection& connection, const std::string& database, const std::string& table) {
  std::vector<std::string> columns;
  for (const auto& row : connection
                             .query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE "
                                    "TABLE_SCHEMA = "
                                    + connection.quote(database) + " AND TABLE_NAME = "
                                    + connection.quote(table) + " ORDER BY COLUMN_NAME")
                             .rows()) {
    columns.push_back(row.at(0).value_or(""));
  }
  return columns;
}

// The first of `wanted` that `database`.`table` lacks; nullopt when it has them all.
std::optional<std::string> missing_column(Connection& connection,
                                          const std::string& database,
                                          const std::string& table,
                                          const std::vector<std::string>& wanted) {
  const auto have = columns_of(connection, database, table);
  for (const auto& column : wanted) {
    if (std::find(have.begin(), have.end(), column) == have.end()) {
      return table + "." + column;
    }
  }
  return std::nullopt;
}

bool table_exists(Connection& connection, const std::string& database, const std::string& table) {
  return connection
      .query_value("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   + connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table))
      .has_value();
}

class AddRawRun {
public:
  AddRawRun(const AddRawOptions& options, core::Reporter& reporter)
      : m_options(options),
        m_reporter(reporter) {}

  AddRawOutcome run() {
    const auto started = std::chrono::steady_clock::now();
    refuse_pipe_and_none();
    archive::ArchiveScanner scanner(m_options.archive);
    m_contents = archive::read_authentic(scanner,
                                         m_options.secret,
                                         archive::KeyUse::required,
                                         archive::load_public_key(m_options.public_key));
    scanner.rewind();
    archive::ArchiveWalk walk(scanner);
    m_info = select_databases(walk.read_backup_info(), m_options.only);
    walk.set_opener(archive::MemberOpener::for_archive(
        walk.info(), m_options.secret, archive::KeyUse::required));
    if (walk.observed().front().sha256 != m_contents->manifest.members.front().sha256) {
      throw_changed();
    }
    connect();
    RestoreLock lock(*m_control);
    settle_previous_restore(*m_control, m_options.dry_run, m_reporter);
    // The live release: tables are created as it takes them (3.x: ROW_FORMAT=DYNAMIC).
    m_target =
        resolve_target(std::nullopt, m_options.catalog, m_info, *m_control, m_options.main_db);
    choose_tables();
    m_outcome.dry_run = m_options.dry_run;
    if (m_options.dry_run || m_outcome.added.empty()) {
      return m_outcome;
    }
    start_journal();
    stage(walk);
    go_live();
    m_outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return m_outcome;
  }

private:
  void refuse_pipe_and_none() const {
    if (m_options.archive == "-") {
      throw core::Error(core::ExitCode::usage,
                        "restore --add-raw reads the archive twice (its manifest first): give a "
                        "file, not standard input");
    }
    if (m_options.raw.kind == RawSelection::Kind::none) {
      throw core::Error(core::ExitCode::usage,
                        "--add-raw brings raw tables back, --without-raw leaves them all out: "
                        "give --add-raw alone (every day of the archive), with --raw-since DATE "
                        "or with --raw-days N");
    }
  }

  [[noreturn]] void throw_changed() const {
    throw core::IntegrityError(m_options.archive
                                   + ": the archive changed while it was being restored",
                               {"let whatever writes it finish, then run the command again; "
                                "the live databases were not touched"});
  }

  void connect() {
    auto control = m_options.connection;
    control.role = "target server";
    m_control.emplace(Connection::connect(control));
  }

  // Per message database the archive holds days of: the live database must be a Postal message
  // database; each asked-for table not live is to be brought back, each live one is named.
  void choose_tables() {
    const auto kept = kept_raw_tables(m_info, m_options.raw);
    for (const auto& database : m_info.databases) {
      const auto found = kept.find(database.name);
      if (found == kept.end()) {
        continue;
      }
      const auto live = live_name(database, m_options.main_db, m_options.message_db_prefix);
      check_live_database(live);
      const auto before = m_outcome.added.size();
      for (const auto& table : found->second) {
        if (table_exists(*m_control, live, table)) {
          m_outcome.already_live.push_back({live, table});
          m_reporter.info(live + "." + table + " is already live: left exactly as it is");
        } else {
          m_outcome.added.push_back(sized({live, table, 0, 0, 0}, database.name));
        }
      }
      if (m_outcome.added.size() > before) {
        m_databases.emplace_back(&database, live);
      }
    }
  }

  void check_live_database(const std::string& live) {
    if (!database_exists(*m_control, live)) {
      throw core::Error(core::ExitCode::refused,
                        "restore --add-raw: the message database " + live
                            + " does not exist on the server; nothing was changed",
                        {"restore that mail server first (restore --databases …), or leave it "
                         "out with --databases"});
    }
    auto missing = missing_column(*m_control, live, "messages", k_message_columns);
    if (!missing) {
      missing = missing_column(*m_control, live, "raw_message_sizes", k_size_columns);
    }
    if (missing) {
      throw core::Error(core::ExitCode::refused,
                        "restore --add-raw: " + live + " has no " + *missing
                            + ", so it is not a Postal message database; nothing was changed",
                        {"check --main-db and --message-db-prefix"});
    }
  }

  AddedTable sized(AddedTable table, const std::string& archived) const {
    for (const auto& member : m_contents->manifest.members) {
      if (member.database == archived && member.table == table.table) {
        table.stored_bytes += member.size;
        table.raw_bytes += member.raw_size;
        table.rows += member.rows;
      }
    }
    return table;
  }

  void start_journal() {
    m_record.id = new_restore_id();
    m_record.kind = RestoreKind::add_raw;
    m_record.archive = std::filesystem::absolute(m_options.archive).lexically_normal().string();
    m_record.host = this_host();
    m_record.tool_version = m_options.tool_version;
    m_record.target_json = target_to_json(m_target);
    m_record.plan_json = "null";
    for (std::size_t i = 0; i < m_databases.size(); ++i) {
      const auto& live = m_databases[i].second;
      m_record.databases.push_back({live,
                                    staging_name(m_record.id, i),
                                    previous_name(m_record.id, i),
                                    archive::DatabaseRole::message,
                                    false});
    }
    for (const auto& added : m_outcome.added) {
      m_record.raw_tables.push_back({added.database, added.table});
    }
    Journal journal(*m_control);
    journal.ensure_exists();
    journal.insert(m_record);
    create_return_marker(*m_control, m_record.id);
    m_outcome.id = m_record.id;
  }

  // Everything but the asked-for raw tables, `messages` and `raw_message_sizes` of the
  // databases concerned is only verified.
  StagingOptions staging_options(const archive::ArchiveWalk& walk) {
    StagingOptions staging;
    m_collations.emplace(ServerCollations::read(*m_control));
    for (std::size_t i = 0; i < m_databases.size(); ++i) {
      const auto& database = *m_databases[i].first;
      check_database_charset(database, m_options.archive);
      m_collations->check(database, m_options.archive);
      m_control->execute(
          create_database_sql(m_record.databases[i].staging, database, m_options.archive));
      staging.staging_for[database.name] = m_record.databases[i].staging;
      for (const auto& table : database.tables) {
        if (!is_needed(m_record.databases[i].live, table)) {
          staging.left_out.insert({database.name, table});
        }
      }
    }
    staging.force_dynamic_row_format = m_target.era == postal::Era::v3;
    staging.collations = &*m_collations;
    staging.loading = m_options.connection;
    staging.loading.role = "target server";
    staging.workers = m_options.workers;
    staging.method = m_options.load_method;
    staging.opener = walk.opener();
    staging.bounds = archive::RecordedBounds(m_contents->manifest);
    return staging;
  }

  [[nodiscard]] bool is_needed(const std::string& live, const std::string& table) const {
    return table == "messages" || table == "raw_message_sizes"
           || std::any_of(m_record.raw_tables.begin(),
                          m_record.raw_tables.end(),
                          [&](const JournalRawTable& raw) {
                            return raw.database == live && raw.table == table;
                          });
  }

  void stage(archive::ArchiveWalk& walk) {
    try {
      StagingLoader loader(*m_control, walk.info(), staging_options(walk), m_reporter);
      walk.read_members(
          [&](archive::ArchiveScanner& scanner, const core::tar::TarMember& member) {
            if (archive::config_file_name(archive::unsealed_path(member.path))) {
              return observe_member(scanner, member, walk.opener());
            }
            return loader.load(scanner, member, walk.observed().size());
          },
          [&](std::vector<archive::ObservedMember>& observed) { loader.finish(observed); });
      if (walk.manifest_text() != m_contents->manifest_text) {
        throw_changed();
      }
      check_staged();
      core::throw_if_interrupted();
    } catch (...) {
      abandon("failed while loading");
      throw;
    }
  }

  // What the swap relies on, in the archive's tables as staged.
  void check_staged() {
    for (const auto& names : m_record.databases) {
      auto missing = missing_column(*m_control, names.staging, "messages", k_message_columns);
      if (!missing) {
        missing = missing_column(*m_control, names.staging, "raw_message_sizes", k_size_columns);
      }
      for (const auto& raw : m_record.raw_tables) {
        if (!missing && raw.database == names.live
            && columns_of(*m_control, names.staging, raw.table) != k_raw_columns) {
          missing = raw.table + " with the columns id, data, next";
        }
      }
      if (missing) {
        throw core::IntegrityError(m_options.archive + ": the archive's " + names.live + " has no "
                                       + *missing
                                       + ", so its raw mail cannot be re-linked; nothing was "
                                         "changed",
                                   {"the archive was not made of a Postal install"});
      }
    }
  }

  // Best effort; the live databases were not touched.
  void abandon(const std::string& why) noexcept {
    try {
      discard_unswapped(*m_control, m_record, RestoreState::failed, why);
    } catch (...) {
      m_reporter.warn("could not remove the staging databases of restore " + m_record.id
                      + "; `postal-backup rollback` removes them");
    }
  }

  void go_live() {
    Journal(*m_control).set_state(m_record.id, RestoreState::swapping);
    core::failpoint("add_raw.before_rename");
    try {
      rename_raw_tables_in(*m_control, m_record, m_options.lock_wait_seconds);
      core::failpoint("add_raw.after_rename");
      m_outcome.counts = relink_raw_tables(*m_control, m_record);
    } catch (...) {
      undo();
      throw;
    }
    core::failpoint("add_raw.after_relink");
    complete_add_raw(*m_control, m_record);
    if (m_outcome.counts.skipped > 0) {
      m_outcome.warnings.push_back(
          std::to_string(m_outcome.counts.skipped)
          + " messages the archive has pointing at these tables were left as they are: their "
            "live row points at another raw table, or is another message, or is gone");
    }
  }

  // The re-link did not commit: the tables the rename brought in go again.
  void undo() noexcept {
    try {
      if (return_stage(*m_control, m_record.id) == ReturnStage::renamed) {
        (void)drop_raw_tables_renamed_in(*m_control, m_record);
      }
      abandon("failed while bringing raw tables in");
    } catch (...) {
      m_reporter.warn("restore " + m_record.id
                      + " could not undo itself; `postal-backup rollback` drops the raw tables "
                        "it brought in");
    }
  }

  const AddRawOptions& m_options;
  core::Reporter& m_reporter;
  AddRawOutcome m_outcome;
  std::optional<archive::AuthenticArchive> m_contents;
  archive::BackupInfo m_info;
  std::optional<Connection> m_control;
  std::optional<ServerCollations> m_collations;
  // Each message database concerned: in the archive (within m_info), and its live name.
  std::vector<std::pair<const archive::DatabaseInfo*, std::string>> m_databases;
  RestoreRecord m_record;
  postal::MigrationTarget m_target;
};

} // namespace

AddRawOutcome run_add_raw(const AddRawOptions& options, core::Reporter& reporter) {
  return AddRawRun(options, reporter).run();
}

} // namespace pbk::restore
