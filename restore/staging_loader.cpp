// SPDX-License-Identifier: MIT
#include "restore/staging_loader.hpp"

#include "archive/archive_key.hpp"
#include "archive/create_table_statement.hpp"
#include "archive/member_path.hpp"
#include "archive/member_reader.hpp"

#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "core/hash/hashing_source.hpp"
#include "core/io/span_source.hpp"

#include <array>
#include <chrono>
#include <random>
#include <thread>

namespace pbk::restore {
namespace {

using core::db::Connection;

// Tries of one member before a lock conflict fails the restore; the pauses between them grow
// from 50 ms to 1.6 s (about 3 s in all), each a random part of its step so that two loaders
// that collided do not collide again in step.
constexpr unsigned k_load_attempts = 6;
constexpr std::chrono::milliseconds k_first_back_off{50};

} // namespace

void prepare_loading_session(Connection& connection) {
  // The archive holds bytes exactly as stored and TIMESTAMPs in UTC (docs/format.md); zero
  // ids must stay zero; keys are checked by the server once, not per row, for speed.
  connection.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00', "
                     "foreign_key_checks = 0, unique_checks = 0");
}

StagingLoader::StagingLoader(Connection& control,
                             const archive::BackupInfo& info,
                             StagingOptions options,
                             core::Reporter& reporter)
    : m_control(control),
      m_options(std::move(options)),
      m_reporter(reporter),
      m_methods(choose_load_methods(control, m_options.method)),
      m_mapping(info),
      m_queue(m_options.queue_bytes) {
  m_options.loading.local_infile = m_methods.uses(LoadMethod::load_data_local);
  if (m_options.on_table_loaded && m_options.manifest != nullptr) {
    count_expected_members(info);
  }
  m_loaders.emplace(
      m_options.workers, [this](std::size_t) { run_loader(); }, [this] { m_queue.abort(); });
}

StagingLoader::~StagingLoader() {
  m_aborted = true; // a loader in a member or a back-off gives up; m_loaders then joins
  m_queue.abort();
}

archive::ObservedMember StagingLoader::load(archive::ArchiveScanner& scanner,
                                            const core::tar::TarMember& member,
                                            std::size_t index) {
  m_loaders->rethrow_if_failed();
  report_retries();
  const auto mapped = m_mapping.map(member.path, scanner.label() + ": member " + member.path);
  const auto& ref = *mapped.table;
  const auto bounds = m_options.bounds.of(member, scanner.label() + ": member " + member.path);
  const auto staging = m_options.staging_for.find(ref.database);
  if (staging == m_options.staging_for.end()) {
    // a database not being restored
    return observe_member(scanner, member, m_options.opener, bounds);
  }
  if (m_options.left_out.contains({ref.database, ref.table})) {
    auto observed = archive::observe_stored_bytes(scanner, member, bounds);
    m_stored_bytes += observed.size;
    m_reporter.progress(
        {m_stored_bytes, m_options.stored_total, false, ref.database + "." + ref.table});
    return observed;
  }
  if (mapped.kind == archive::MemberMapping::Kind::schema) {
    return create_table(scanner, member, ref, staging->second);
  }
  return queue_rows(scanner, member, ref, staging->second, index, bounds);
}

archive::ObservedMember StagingLoader::create_table(archive::ArchiveScanner& scanner,
                                                    const core::tar::TarMember& member,
                                                    const TableRef& ref,
                                                    const std::string& staging) {
  const std::string label = scanner.label() + ": member " + member.path;
  core::hash::HashingSource hashing(scanner.member_data());
  archive::MemberReader reader(
      m_options.opener, hashing, member.path, label, archive::k_max_member_raw_bytes);
  const auto sql = archive::read_schema_sql(reader, label);
  reader.skip_rest();
  const auto checked = checked_create_table(
      sql, ref.table, archive::CreateTableOptions{m_options.force_dynamic_row_format}, label);
  if (m_options.collations != nullptr) {
    m_options.collations->check(checked.definition, label);
  }
  if (checked.row_format_changed) {
    m_dynamic_row_format.push_back(ref.database + "." + ref.table);
  }
  m_control.execute("USE " + Connection::quote_identifier(staging));
  m_control.execute(checked.sql);
  member_loaded({staging, ref.table});
  m_stored_bytes += hashing.bytes();
  return {member.path, hashing.bytes(), sql.size(), 0, hashing.hex_digest()};
}

archive::ObservedMember StagingLoader::queue_rows(archive::ArchiveScanner& scanner,
                                                  const core::tar::TarMember& member,
                                                  const TableRef& ref,
                                                  const std::string& staging,
                                                  std::size_t index,
                                                  const archive::MemberBounds& bounds) {
  const std::string label = scanner.label() + ": member " + member.path;
  archive::LoadJob job{index, staging, ref.table, member.path, label, {}, bounds};
  if (static_cast<std::uint64_t>(member.size) > archive::k_max_buffered_member) {
    return load_inline(scanner, std::move(job));
  }
  auto stored = read_stored_member(scanner, member);
  const archive::ObservedMember observed{
      member.path, stored.data.size(), 0, 0, std::move(stored.sha256)};
  m_stored_bytes += observed.size;
  m_reporter.progress(
      {m_stored_bytes, m_options.stored_total, false, ref.database + "." + ref.table});
  job.compressed = std::move(stored.data);
  if (!m_queue.push(std::move(job))) {
    m_loaders->rethrow_if_failed();
  }
  return observed;
}

archive::ObservedMember StagingLoader::load_inline(archive::ArchiveScanner& scanner,
                                                   archive::LoadJob job) {
  if (!m_inline) {
    m_inline.emplace(Connection::connect(m_options.loading));
    prepare_loading_session(*m_inline);
  }
  core::hash::HashingSource hashing(scanner.member_data());
  // A streamed member is read once, so a lock conflict here cannot be retried: it fails the
  // restore (before the swap). Such members are rare (data that does not compress).
  const auto loaded = load_once(*m_inline, job, hashing);
  member_loaded({job.database, job.table});
  core::io::drain(hashing);
  m_stored_bytes += hashing.bytes();
  m_rows += loaded.rows;
  m_raw_bytes += loaded.raw_size;
  m_reporter.progress(
      {m_stored_bytes, m_options.stored_total, false, job.database + "." + job.table});
  return {job.path, hashing.bytes(), loaded.raw_size, loaded.rows, hashing.hex_digest()};
}

void StagingLoader::run_loader() {
  auto connection = Connection::connect(m_options.loading);
  prepare_loading_session(connection);
  while (auto job = m_queue.pop()) {
    const auto loaded = load_job(connection, *job);
    const auto bytes = job->compressed.size();
    const archive::TableId table{job->database, job->table};
    job.reset();
    m_queue.done(bytes, table, loaded.rows > 0);
    {
      std::lock_guard lock(m_results_mutex);
      m_loaded.push_back(loaded);
    }
    member_loaded(table);
  }
}

void StagingLoader::count_expected_members(const archive::BackupInfo& info) {
  archive::MemberMapping mapping(info);
  try {
    for (const auto& member : m_options.manifest->members) {
      if (member.path == archive::k_backup_member
          || archive::config_file_name(archive::unsealed_path(member.path))) {
        continue;
      }
      const auto& ref = *mapping.map(member.path, "manifest.json: member " + member.path).table;
      const auto staging = m_options.staging_for.find(ref.database);
      if (staging != m_options.staging_for.end()
          && !m_options.left_out.contains({ref.database, ref.table})) {
        ++m_members_left[{staging->second, ref.table}];
      }
    }
  } catch (const core::IntegrityError&) {
    // The walk refuses the same member when it comes to it; until then nothing is told.
    m_members_left.clear();
  }
}

void StagingLoader::member_loaded(const archive::TableId& table) {
  {
    std::lock_guard lock(m_results_mutex);
    const auto left = m_members_left.find(table);
    if (left == m_members_left.end() || --left->second > 0) {
      return;
    }
    m_members_left.erase(left);
  }
  m_options.on_table_loaded(table);
}

// InnoDB may pick any transaction as a deadlock victim and expects the client to run it
// again. RowLoader rolled the member's transaction back (a lock wait timeout rolls back only
// the statement), so the next try starts on a table without the member's rows; the member's
// bytes are still buffered in the job.
StagingLoader::Loaded StagingLoader::load_job(Connection& connection, const archive::LoadJob& job) {
  core::pausepoint("restore.before_member_load");
  for (unsigned attempt = 1;; ++attempt) {
    try {
      core::io::SpanSource stored(job.compressed);
      return load_once(connection, job, stored);
    } catch (const core::db::DbError& e) {
      if (!e.is_deadlock_or_lock_wait() || m_aborted) {
        throw;
      }
      if (attempt == k_load_attempts) {
        throw core::Error(
            core::ExitCode::runtime,
            job.label + ": lost " + std::to_string(attempt)
                + " lock conflicts in a row, the last: " + e.what(),
            {"another client holds locks on the staging tables (see SHOW ENGINE INNODB STATUS); "
             "stop it and run the restore again"});
      }
      ++m_retries;
      {
        std::lock_guard lock(m_results_mutex);
        m_retry_notes.push_back(job.label + ": " + e.what() + "; loading it again (try "
                                + std::to_string(attempt + 1) + " of "
                                + std::to_string(k_load_attempts) + ")");
      }
      back_off(attempt);
    }
  }
}

void StagingLoader::back_off(unsigned attempt) const {
  thread_local std::minstd_rand random{std::random_device{}()};
  const auto step = k_first_back_off * (1U << (attempt - 1));
  std::uniform_int_distribution<long> pick(step.count() / 2, step.count());
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(pick(random));
  while (!m_aborted && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void StagingLoader::report_retries() {
  std::vector<std::string> notes;
  {
    std::lock_guard lock(m_results_mutex);
    notes.swap(m_retry_notes);
  }
  for (const auto& note : notes) {
    m_reporter.info(note);
  }
}

StagingLoader::Loaded StagingLoader::load_once(Connection& connection,
                                               const archive::LoadJob& job,
                                               core::io::ByteSource& stored) {
  // Ends a load in progress when the restore is given up (Ctrl-C, another loader failed).
  class Abortable final : public core::io::ByteSource {
  public:
    Abortable(core::io::ByteSource& in, const std::atomic<bool>& aborted)
        : m_in(in),
          m_aborted(aborted) {}

    std::size_t read(std::span<std::byte> buffer) override {
      if (m_aborted) {
        throw core::Error(core::ExitCode::interrupted, "the restore was given up");
      }
      return m_in.read(buffer);
    }

  private:
    core::io::ByteSource& m_in;
    const std::atomic<bool>& m_aborted;
  };

  archive::MemberReader reader(m_options.opener, stored, job.path, job.label, job.bounds.raw);
  Abortable source(reader, m_aborted);
  RowLoader loader(connection, m_methods.for_table(job.table));
  const auto loaded = loader.load(job.database, job.table, source, job.label, job.bounds.rows);
  reader.skip_rest();
  if (loaded != reader.lines()) {
    throw core::IntegrityError(job.label + " holds " + std::to_string(reader.lines())
                               + " rows but the server took " + std::to_string(loaded));
  }
  return {job.index, reader.bytes(), loaded};
}

void StagingLoader::finish(std::vector<archive::ObservedMember>& observed) {
  m_queue.close();
  try {
    m_loaders->join();
  } catch (...) {
    report_retries();
    throw;
  }
  report_retries();
  for (const auto& loaded : m_loaded) {
    auto& member = observed.at(loaded.index);
    member.raw_size = loaded.raw_size;
    member.lines = loaded.rows;
    m_rows += loaded.rows;
    m_raw_bytes += loaded.raw_size;
  }
}

} // namespace pbk::restore
