// SPDX-License-Identifier: MIT
#include "restore/restore_job.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_key.hpp"
#include "archive/archive_walk.hpp"
#include "archive/create_database_statement.hpp"
#include "archive/member_path.hpp"
#include "postal/postal_activity.hpp"
#include "postal/postal_invariants.hpp"
#include "postal/raw_retention.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/interrupt.hpp"
#include "core/parallel/worker_pool.hpp"
#include "restore/journal.hpp"
#include "restore/preflight.hpp"
#include "restore/restore_control.hpp"
#include "restore/restore_lock.hpp"
#include "restore/restore_scope.hpp"
#include "restore/server_collations.hpp"
#include "restore/server_readiness.hpp"
#include "restore/staging_loader.hpp"
#include "restore/swap.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace pbk::restore {
namespace {

using core::db::Connection;

constexpr const char* k_replaced_data_note =
    "the replaced data is kept: `postal-backup rollback` puts it back, `postal-backup finish` "
    "ends the restore and still keeps it";

std::string plan_json(const postal::Plan& plan) {
  nlohmann::ordered_json j;
  j["verdict"] = postal::to_string(plan.verdict);
  j["main_migrations_missing"] = nlohmann::json::array();
  for (const auto& migration : plan.main_missing) {
    j["main_migrations_missing"].push_back(migration.version);
  }
  j["message_db_migrations_missing"] = plan.message_missing;
  j["commands"] = plan.commands;
  return j.dump();
}

class RestoreRun {
public:
  RestoreRun(const RestoreOptions& options, core::Reporter& reporter)
      : m_options(options),
        m_reporter(reporter) {}

  RestoreOutcome run() {
    const auto started = std::chrono::steady_clock::now();
    archive::ArchiveScanner scanner(m_options.archive);
    read_ahead(scanner);
    archive::ArchiveWalk walk(scanner);
    m_outcome.info = select_databases(walk.read_backup_info(), m_options.only);
    m_left_out = left_out_raw_tables(m_outcome.info, m_options.raw);
    // The key is checked before the archive is read any further (a wrong key costs nothing).
    walk.set_opener(archive::MemberOpener::for_archive(
        walk.info(), m_options.secret, archive::KeyUse::required));
    hold_to_authentic(walk);
    prepare_config();
    connect();
    decide();
    describe_left_out(m_contents ? &m_contents->manifest : nullptr);
    if (m_options.dry_run) {
      return preview();
    }
    RestoreLock lock(*m_control);
    settle_previous_restore(*m_control, false, m_reporter);
    check_target();
    start_journal();
    try {
      load(walk);
      forget_left_out();
      check_invariants();
      write_config();
      core::throw_if_interrupted(); // a signal that came after the last member: no swap
    } catch (...) {
      const bool cleaned = abandon_load();
      throw_if_interrupted_before_swap(cleaned);
      throw;
    }
    swap();
    hold_gate();
    m_outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return m_outcome;
  }

private:
  // A file is read once ahead for its manifest, which is authenticated (its HMAC, its
  // signature by --public-key, and that it records this backup.json) before anything is
  // written: a truncated, unfinished, forged or altered archive is refused untouched, and the
  // preflight learns the largest row and the data size. The load then reads the same open
  // file again, held to that manifest.
  void read_ahead(archive::ArchiveScanner& scanner) {
    const auto public_key = archive::load_public_key(m_options.public_key);
    if (m_options.archive == "-") {
      if (public_key) {
        throw_pipe_refused("a signature is required (--public-key or "
                           + std::string(archive::k_public_key_variable) + ")");
      }
      return;
    }
    m_contents = read_authentic(scanner, m_options.secret, archive::KeyUse::required, public_key);
    check_recorded_rows();
    scanner.rewind();
  }

  // A row the manifest records as larger than any archive row may hold is refused before
  // anything is written: the loaders would otherwise hold it in memory.
  void check_recorded_rows() const {
    for (const auto& table : m_contents->manifest.tables) {
      if (table.max_row_size > archive::k_max_row_bytes) {
        throw core::IntegrityError(m_options.archive + ": manifest.json records a row of "
                                       + std::to_string(table.max_row_size) + " bytes in "
                                       + table.database + "." + table.table + ", more than the "
                                       + std::to_string(archive::k_max_row_bytes >> 20)
                                       + " MiB an archive row may hold; nothing was restored",
                                   {"the archive is damaged or was not written by postal-backup"});
      }
    }
  }

  // A pipe holds its manifest only at its end, after the data would have reached the server.
  [[noreturn]] static void throw_pipe_refused(const std::string& why) {
    throw core::Error(core::ExitCode::refused,
                      "restore from standard input refused: " + why
                          + ", but a stream's manifest comes after its data: save the stream "
                            "to a file first and restore the file",
                      {"nothing was written"});
  }

  // The second pass must read what the first one authenticated: the same backup.json now,
  // the same manifest at the end (held there by check_manifest_unchanged).
  void hold_to_authentic(const archive::ArchiveWalk& walk) const {
    if (!m_contents) {
      if (walk.info().encryption) {
        throw_pipe_refused("the archive is encrypted, its backup.json authenticated only by "
                           "its manifest");
      }
      return;
    }
    if (walk.observed().front().sha256 != m_contents->manifest.members.front().sha256) {
      throw_changed();
    }
  }

  void check_manifest_unchanged(const archive::ArchiveWalk& walk) const {
    if (m_contents && walk.manifest_text() != m_contents->manifest_text) {
      throw_changed();
    }
  }

  [[noreturn]] void throw_changed() const {
    throw core::IntegrityError(m_options.archive
                                   + ": the archive changed while it was being restored",
                               {"let whatever writes it finish, then verify and restore it "
                                "again; the live databases were not touched"});
  }

  // Config files are checked against --config-dest before anything else happens, and written
  // after the archive is verified and the staging databases checked, just before the swap:
  // a refused or failed write leaves the live databases untouched, and a restore run again
  // after a failed swap finds the files identical and leaves them alone.
  void prepare_config() {
    const auto& config = m_outcome.info.config;
    if (m_options.config_destination.empty()) {
      if (config) {
        m_outcome.warnings.push_back("the archive holds Postal's config directory ("
                                     + std::to_string(config->files)
                                     + " files); --config-dest DIR would restore it");
      }
      return;
    }
    if (!config) {
      throw core::Error(core::ExitCode::usage,
                        "--config-dest: the archive holds no config directory",
                        {"it was made without `create --include-config`; drop --config-dest"});
    }
    m_config.emplace(m_options.config_destination, m_options.force);
    if (m_contents) {
      m_config->check_planned(m_contents->manifest);
    }
  }

  void write_config() {
    if (m_config) {
      m_outcome.config_files = m_config->write();
    }
  }

  void connect() {
    auto control = m_options.connection;
    control.role = "target server";
    m_control.emplace(Connection::connect(control));
  }

  void decide() {
    m_outcome.target = resolve_target(
        m_options.target, m_options.catalog, m_outcome.info, *m_control, m_options.main_db);
    // The printed steps name the databases this restore makes, not the archive's names.
    std::map<std::string, std::string> live_names;
    for (const auto& database : m_outcome.info.databases) {
      live_names[database.name] =
          live_name(database, m_options.main_db, m_options.message_db_prefix);
    }
    m_outcome.plan =
        postal::make_plan(m_outcome.info, m_outcome.target, m_options.catalog, live_names);
    const auto& message = m_outcome.target.message_db_migrations;
    m_outcome.target_release_range = m_options.catalog.release_range(
        m_outcome.target.main_schema_level, message.empty() ? "" : std::to_string(message.back()));
    if (m_outcome.plan.verdict == postal::Verdict::refused && !m_options.dry_run) {
      throw core::Error(core::ExitCode::refused,
                        "restore refused: " + m_outcome.plan.reason,
                        {"`postal-backup plan` explains the verdict; nothing was written"});
    }
    for (const auto& warning : m_outcome.plan.warnings) {
      m_outcome.warnings.push_back(warning);
    }
  }

  // The restore up to its first write: the same lock, refusals and preflight, and what it
  // would end in (before any --migrate-with).
  RestoreOutcome preview() {
    m_outcome.dry_run = true;
    if (m_outcome.plan.verdict == postal::Verdict::refused) {
      return m_outcome;
    }
    RestoreLock lock(*m_control);
    settle_previous_restore(*m_control, true, m_reporter);
    check_target();
    m_outcome.replaced_data_kept = m_replaces_data;
    m_outcome.state = m_outcome.plan.verdict == postal::Verdict::ready && !m_replaces_data
                          ? RestoreState::finished
                          : RestoreState::awaiting_migrations;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      m_outcome.databases.push_back({m_live_names[i],
                                     "",
                                     "",
                                     m_outcome.info.databases[i].role,
                                     !database_exists(*m_control, m_live_names[i])});
    }
    return m_outcome;
  }

  void check_target() {
    // A load method the server cannot take is refused here, before anything is written.
    (void)choose_load_methods(*m_control, m_options.load_method);
    check_database_charsets();
    for (const auto& database : m_outcome.info.databases) {
      m_live_names.push_back(live_name(database, m_options.main_db, m_options.message_db_prefix));
    }
    PreflightInput input;
    input.postal3_target = m_outcome.target.era == postal::Era::v3;
    input.connected_locally = is_local_server(m_options.connection);
    input.databases = m_live_names;
    if (m_contents) {
      for (const auto& table : m_contents->manifest.tables) {
        if (is_left_out(table.database, table.table)) {
          continue;
        }
        input.largest_row = std::max(input.largest_row, table.max_row_size);
        input.raw_bytes += table.raw_size;
      }
    }
    for (auto& warning : preflight(*m_control, input).warnings) {
      m_outcome.warnings.push_back(std::move(warning));
    }
    if (!m_options.force) {
      postal::refuse_if_postal_connected(*m_control, m_live_names);
      postal::refuse_if_holding_data(*m_control, m_live_names);
    } else {
      for (const auto& live : m_live_names) {
        m_replaces_data = m_replaces_data || !postal::tables_holding_data(*m_control, live).empty();
      }
    }
  }

  // backup.json's charsets and collations must be plain names the server has, before they are
  // written into a CREATE DATABASE.
  void check_database_charsets() {
    m_collations = ServerCollations::read(*m_control);
    for (const auto& database : m_outcome.info.databases) {
      check_database_charset(database, archive_label());
      m_collations->check(database, archive_label());
    }
  }

  [[nodiscard]] std::string archive_label() const {
    return m_options.archive == "-" ? "standard input" : m_options.archive;
  }

  void start_journal() {
    m_record.id = new_restore_id();
    // Absolute: `status` may be run from another directory, or on another host.
    m_record.archive =
        m_options.archive == "-"
            ? archive_label()
            : std::filesystem::absolute(m_options.archive).lexically_normal().string();
    m_record.host = this_host();
    m_record.tool_version = m_options.tool_version;
    m_record.target_json = target_to_json(m_outcome.target);
    m_record.plan_json = plan_json(m_outcome.plan);
    if (!m_options.schedule_migrations.empty()) {
      m_record.scheduled_digest = command_digest(m_options.schedule_migrations);
    }
    // The refusal that --force overrides promises the replaced data is kept: every finish of
    // this restore keeps it, whoever runs it.
    m_record.keep_previous = m_options.keep_previous || m_replaces_data;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto& database = m_outcome.info.databases[i];
      m_record.databases.push_back({m_live_names[i],
                                    staging_name(m_record.id, i),
                                    previous_name(m_record.id, i),
                                    database.role,
                                    false});
      if (const auto found = m_left_out.find(database.name); found != m_left_out.end()) {
        for (const auto& table : found->second) {
          m_record.raw_tables.push_back({m_live_names[i], table});
        }
      }
    }
    Journal journal(*m_control);
    journal.ensure_exists();
    journal.insert(m_record);
    create_swap_marker(*m_control, m_record.id);
    m_outcome.id = m_record.id;
    m_outcome.databases = m_record.databases;
  }

  void load(archive::ArchiveWalk& walk) {
    StagingOptions staging;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto& database = m_outcome.info.databases[i];
      const auto& names = m_record.databases[i];
      m_control->execute(create_database_sql(names.staging, database, archive_label()));
      m_control->execute(create_database_sql(names.previous, database, archive_label()));
      staging.staging_for[database.name] = names.staging;
    }
    staging.force_dynamic_row_format = m_outcome.target.era == postal::Era::v3;
    staging.collations = &*m_collations;
    staging.loading = m_options.connection;
    staging.loading.role = "target server";
    staging.workers = m_options.workers;
    staging.method = m_options.load_method;
    staging.opener = walk.opener();
    for (const auto& [database, tables] : m_left_out) {
      for (const auto& table : tables) {
        staging.left_out.insert({database, table});
      }
    }
    if (m_contents) {
      staging.bounds = archive::RecordedBounds(m_contents->manifest);
      for (const auto& member : m_contents->manifest.members) {
        staging.stored_total += member.size;
      }
    }
    StagingLoader loader(*m_control, walk.info(), staging, m_reporter);
    m_outcome.load_method = to_string(loader.methods());
    const auto& manifest = walk.read_members(
        [&](archive::ArchiveScanner& scanner, const core::tar::TarMember& member) {
          if (archive::config_file_name(archive::unsealed_path(member.path))) {
            return m_config ? m_config->take(scanner, member, walk.opener())
                            : observe_member(scanner, member, walk.opener());
          }
          auto observed = loader.load(scanner, member, walk.observed().size());
          core::failpoint("restore.after_member");
          return observed;
        },
        [&](std::vector<archive::ObservedMember>& observed) { loader.finish(observed); });
    check_manifest_unchanged(walk);
    describe_left_out(&manifest);
    if (m_config) {
      m_config->attach(manifest, m_outcome.info.config->files);
    }
    m_outcome.rows = loader.rows();
    m_outcome.load_retries = loader.retries();
    m_outcome.raw_bytes = loader.raw_bytes();
    m_outcome.stored_bytes = loader.stored_bytes();
    m_outcome.dynamic_row_format_tables = loader.dynamic_row_format_tables();
    if (const auto count = m_outcome.dynamic_row_format_tables.size(); count > 0) {
      m_outcome.warnings.push_back(
          "ROW_FORMAT set to DYNAMIC for " + std::to_string(count)
          + (count == 1 ? " table" : " tables")
          + " whose archived format was older (Postal 3.x migrations need it); --json lists "
            "them");
    }
  }

  [[nodiscard]] bool is_left_out(const std::string& database, const std::string& table) const {
    const auto found = m_left_out.find(database);
    return found != m_left_out.end()
           && std::find(found->second.begin(), found->second.end(), table) != found->second.end();
  }

  // What each left-out table saves, once a manifest is known (read ahead, or at the end of a
  // pipe).
  void describe_left_out(const archive::Manifest* manifest) {
    m_outcome.raw_left_out.clear();
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto& database = m_outcome.info.databases[i];
      const auto found = m_left_out.find(database.name);
      if (found == m_left_out.end()) {
        continue;
      }
      const auto live = live_name(database, m_options.main_db, m_options.message_db_prefix);
      for (const auto& table : found->second) {
        m_outcome.raw_left_out.push_back(left_out_table(manifest, database.name, live, table));
      }
    }
  }

  static LeftOutTable left_out_table(const archive::Manifest* manifest,
                                     const std::string& database,
                                     const std::string& live,
                                     const std::string& table) {
    LeftOutTable out{live, table, {}, {}, {}};
    if (manifest == nullptr) {
      return out;
    }
    out.stored_bytes = 0;
    out.raw_bytes = 0;
    out.rows = 0;
    for (const auto& member : manifest->members) {
      if (member.database == database && member.table == table) {
        *out.stored_bytes += member.size;
        *out.raw_bytes += member.raw_size;
        *out.rows += member.rows;
      }
    }
    return out;
  }

  // In the staging databases, before the invariants are checked and long before the swap: the
  // messages of left-out tables are left as Postal's retention leaves them. Each mail server's
  // UPDATE of its messages runs on a connection of its own, at once with the others'.
  void forget_left_out() {
    std::vector<std::pair<std::string, const std::vector<std::string>*>> forgetting;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto found = m_left_out.find(m_outcome.info.databases[i].name);
      if (found != m_left_out.end()) {
        forgetting.emplace_back(m_record.databases[i].staging, &found->second);
      }
    }
    const auto lanes = std::min<std::size_t>(std::max(1u, m_options.workers), forgetting.size());
    std::vector<std::optional<Connection>> connections(lanes);
    core::parallel::run_on_lanes(lanes, forgetting.size(), [&](std::size_t lane, std::size_t item) {
      if (lane > 0 && !connections[lane]) {
        auto options = m_options.connection;
        options.role = "target server";
        connections[lane].emplace(Connection::connect(options));
      }
      auto& connection = lane == 0 ? *m_control : *connections[lane];
      postal::forget_raw_tables(connection, forgetting[item].first, *forgetting[item].second);
    });
  }

  void check_invariants() {
    std::vector<postal::StagedDatabase> staged;
    for (std::size_t i = 0; i < m_outcome.info.databases.size(); ++i) {
      const auto& database = m_outcome.info.databases[i];
      staged.push_back({m_record.databases[i].live,
                        m_record.databases[i].staging,
                        database.role,
                        database.server_id});
    }
    std::vector<std::string> existing;
    for (const auto& row :
         m_control->query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA").rows()) {
      existing.push_back(row.at(0).value_or(""));
    }
    const auto report =
        check_postal_invariants(*m_control, staged, m_options.message_db_prefix, existing);
    for (const auto& problem : report.problems) {
      m_outcome.warnings.push_back("invariant: " + problem);
    }
  }

  // Best effort: the live databases were not touched; what the restore created goes.
  bool abandon_load() noexcept {
    try {
      discard_unswapped(*m_control,
                        m_record,
                        RestoreState::failed,
                        core::interrupted() ? "interrupted before its swap"
                                            : "failed while loading");
      return true;
    } catch (...) {
      m_reporter.warn("could not remove the staging databases of restore " + m_record.id
                      + "; `postal-backup rollback` removes them");
      return false;
    }
  }

  // A signal during the load may surface as any failure (a read, a server call cut short):
  // the operator learns what matters, that the live databases were not touched.
  void throw_if_interrupted_before_swap(bool cleaned) const {
    if (core::interrupted()) {
      throw core::Error(core::ExitCode::interrupted,
                        "restore " + m_record.id
                            + " interrupted before the swap: live databases untouched",
                        {cleaned ? "its staging databases were removed; run the restore again"
                                 : "`postal-backup rollback` removes its staging databases"});
    }
  }

  void swap() {
    core::failpoint("restore.before_swap");
    Journal journal(*m_control);
    for (std::size_t i = 0; i < m_record.databases.size(); ++i) {
      auto& names = m_record.databases[i];
      if (!database_exists(*m_control, names.live)) {
        const auto& database = m_outcome.info.databases[i];
        journal.set_created_live(m_record.id, names.live);
        names.created_live = true;
        m_control->execute(create_database_sql(names.live, database, archive_label()));
      }
    }
    journal.set_state(m_record.id, RestoreState::swapping);
    try {
      swap_in(*m_control, m_record.id, m_record.databases, m_options.lock_wait_seconds);
    } catch (const core::Error& e) {
      // Only a lock timeout is known to have renamed nothing; after any other failure the
      // swap marker tells `status` and `rollback` what happened.
      if (e.code() == core::ExitCode::refused) {
        abandon_load();
      }
      throw;
    }
    core::failpoint("restore.after_swap");
    m_outcome.databases = m_record.databases;
  }

  // A restore that replaced data (--force over a target holding rows) stays open even when
  // nothing is missing: until `finish`, `rollback` can still put the replaced data back.
  void hold_gate() {
    Journal journal(*m_control);
    m_outcome.replaced_data_kept = m_replaces_data;
    if (m_outcome.plan.verdict == postal::Verdict::ready && !m_replaces_data) {
      complete_restore(*m_control, m_record, m_record.keep_previous);
      m_outcome.state = RestoreState::finished;
      return;
    }
    journal.set_state(m_record.id,
                      RestoreState::awaiting_migrations,
                      m_replaces_data ? k_replaced_data_note : "");
    m_outcome.state = RestoreState::awaiting_migrations;
    if (!m_options.migrate_with.empty() && m_outcome.plan.verdict != postal::Verdict::ready) {
      m_outcome.migrate_exit = run_migration_command(m_options.migrate_with, m_record, m_reporter);
    }
    m_outcome.gate =
        evaluate_gate(*m_control, m_record.databases, m_outcome.target, m_options.catalog);
    if (m_outcome.gate->holds && !m_replaces_data) {
      complete_restore(*m_control, m_record, m_record.keep_previous);
      m_outcome.state = RestoreState::finished;
    }
  }

  const RestoreOptions& m_options;
  core::Reporter& m_reporter;
  RestoreOutcome m_outcome;
  std::optional<archive::AuthenticArchive> m_contents; // a file's manifest, authenticated ahead
  std::optional<Connection> m_control;                 // journal, lock, DDL and the swap
  std::vector<std::string> m_live_names;
  std::optional<ServerCollations> m_collations;
  bool m_replaces_data = false; // --force over live databases that hold rows
  RestoreRecord m_record;
  std::optional<ConfigRestore> m_config;
  std::map<std::string, std::vector<std::string>> m_left_out; // backup database → raw tables
};

} // namespace

RestoreOutcome run_restore(const RestoreOptions& options, core::Reporter& reporter) {
  return RestoreRun(options, reporter).run();
}

} // namespace pbk::restore
