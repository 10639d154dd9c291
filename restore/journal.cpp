// SPDX-License-Identifier: MIT
#include "restore/journal.hpp"

#include "postal/raw_tables.hpp"

#include "core/decimal.hpp"
#include "core/error.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

namespace pbk::restore {
namespace {

using core::db::Connection;

constexpr std::array k_state_names{
    "loading", "swapping", "awaiting_migrations", "finished", "failed", "rolled_back", "abandoned"};

// utf8mb4 text with a binary-safe collation: database names and commands are compared as
// written. The journal is tiny; nothing here needs an index beyond the keys.
constexpr const char* k_restores_columns = R"( (
  `id` varchar(16) NOT NULL,
  `state` varchar(32) NOT NULL,
  `archive` text NOT NULL,
  `host` varchar(255) NOT NULL,
  `tool_version` varchar(64) NOT NULL,
  `started_at` datetime(6) NOT NULL,
  `updated_at` datetime NOT NULL,
  `target_json` mediumtext NOT NULL,
  `plan_json` mediumtext NOT NULL,
  `scheduled_command` text NOT NULL,
  `scheduled_exit` int DEFAULT NULL,
  `keep_previous` tinyint NOT NULL DEFAULT 0,
  `message` text NOT NULL,
  PRIMARY KEY (`id`),
  KEY `started_at` (`started_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)";

constexpr const char* k_databases_columns = R"( (
  `restore_id` varchar(16) NOT NULL,
  `position` int NOT NULL,
  `live_name` varchar(64) NOT NULL,
  `staging_name` varchar(64) NOT NULL,
  `previous_name` varchar(64) NOT NULL,
  `role` varchar(16) NOT NULL,
  `created_live` tinyint NOT NULL DEFAULT 0,
  PRIMARY KEY (`restore_id`, `position`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)";

// Added to `restores` by a later version: journals written before it read as kind restore.
constexpr const char* k_kind_column =
    "ADD COLUMN IF NOT EXISTS `kind` varchar(16) NOT NULL DEFAULT 'restore'";

constexpr const char* k_raw_tables_columns = R"( (
  `restore_id` varchar(16) NOT NULL,
  `position` int NOT NULL,
  `live_name` varchar(64) NOT NULL,
  `table_name` varchar(64) NOT NULL,
  PRIMARY KEY (`restore_id`, `position`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin)";

// More raw tables than years of days on hundreds of mail servers: a journal holding more was
// not written by postal-backup, and is not read into memory.
constexpr std::size_t k_max_raw_tables = 200000;
constexpr std::size_t k_rows_per_insert = 500;

constexpr std::array k_kind_names{"restore", "add_raw"};

RestoreKind parse_restore_kind(const std::string& text) {
  for (std::size_t i = 0; i < k_kind_names.size(); ++i) {
    if (text == k_kind_names[i]) {
      return static_cast<RestoreKind>(i);
    }
  }
  throw core::Error(core::ExitCode::runtime,
                    "the restore journal holds an unknown kind of restore '" + text + "'",
                    {"was it written by a newer postal-backup? use that version"});
}

[[noreturn]] void throw_forged_raw_table(const std::string& id, const std::string& what) {
  throw core::Error(core::ExitCode::runtime,
                    "the restore journal's raw tables of restore " + id + " hold " + what,
                    {"the journal (database postal_backup) was not written by postal-backup; "
                     "nothing was changed"});
}

std::string text_or_empty(const std::optional<std::string>& value) {
  return value.value_or("");
}

} // namespace

const char* to_string(RestoreState state) {
  return k_state_names.at(static_cast<std::size_t>(state));
}

RestoreState parse_restore_state(const std::string& text) {
  for (std::size_t i = 0; i < k_state_names.size(); ++i) {
    if (text == k_state_names[i]) {
      return static_cast<RestoreState>(i);
    }
  }
  throw core::Error(core::ExitCode::runtime,
                    "the restore journal holds an unknown state '" + text + "'",
                    {"was it written by a newer postal-backup? use that version"});
}

const char* to_string(RestoreKind kind) {
  return k_kind_names.at(static_cast<std::size_t>(kind));
}

bool is_open(RestoreState state) {
  return state == RestoreState::loading || state == RestoreState::swapping
         || state == RestoreState::awaiting_migrations;
}

Journal::Journal(Connection& connection)
    : m_connection(connection) {}

std::string Journal::table(const char* name) const {
  return Connection::quote_identifier(k_journal_database) + "."
         + Connection::quote_identifier(name);
}

bool Journal::exists() {
  return m_connection
             .query_value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                          + m_connection.quote(k_journal_database) + " AND TABLE_NAME = 'restores'")
             .value_or("0")
         != "0";
}

void Journal::ensure_exists() {
  m_connection.execute("CREATE DATABASE IF NOT EXISTS "
                       + Connection::quote_identifier(k_journal_database)
                       + " DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  m_connection.execute("CREATE TABLE IF NOT EXISTS " + table("restores") + k_restores_columns);
  m_connection.execute("CREATE TABLE IF NOT EXISTS " + table("restore_databases")
                       + k_databases_columns);
  m_connection.execute("ALTER TABLE " + table("restores") + " " + k_kind_column);
  m_connection.execute("CREATE TABLE IF NOT EXISTS " + table("restore_raw_tables")
                       + k_raw_tables_columns);
}

bool Journal::has_kind_column() {
  return m_connection
             .query_value("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                          + m_connection.quote(k_journal_database)
                          + " AND TABLE_NAME = 'restores' AND COLUMN_NAME = 'kind'")
             .value_or("0")
         != "0";
}

void Journal::insert(const RestoreRecord& record) {
  auto q = [this](const std::string& text) { return m_connection.quote(text); };
  m_connection.execute(
      "INSERT INTO " + table("restores")
      + " (id, kind, state, archive, host, tool_version, started_at, updated_at, target_json, "
        "plan_json, scheduled_command, keep_previous, message) VALUES ("
      + q(record.id) + ", " + q(to_string(record.kind)) + ", " + q(to_string(record.state)) + ", "
      + q(record.archive) + ", " + q(record.host) + ", " + q(record.tool_version)
      + ", UTC_TIMESTAMP(6), UTC_TIMESTAMP(), " + q(record.target_json) + ", " + q(record.plan_json)
      + ", " + q(record.scheduled_digest) + ", " + (record.keep_previous ? "1" : "0") + ", "
      + q(record.message) + ")");
  for (std::size_t i = 0; i < record.databases.size(); ++i) {
    const auto& d = record.databases[i];
    m_connection.execute("INSERT INTO " + table("restore_databases")
                         + " (restore_id, position, live_name, staging_name, previous_name, role, "
                           "created_live) VALUES ("
                         + q(record.id) + ", " + std::to_string(i) + ", " + q(d.live) + ", "
                         + q(d.staging) + ", " + q(d.previous) + ", "
                         + q(archive::to_string(d.role)) + ", " + (d.created_live ? "1" : "0")
                         + ")");
  }
  insert_raw_tables(record);
}

void Journal::insert_raw_tables(const RestoreRecord& record) {
  std::string values;
  for (std::size_t i = 0; i < record.raw_tables.size(); ++i) {
    const auto& raw = record.raw_tables[i];
    values += (values.empty() ? "" : ", ")
              + ("(" + m_connection.quote(record.id) + ", " + std::to_string(i) + ", "
                 + m_connection.quote(raw.database) + ", " + m_connection.quote(raw.table) + ")");
    if ((i + 1) % k_rows_per_insert == 0 || i + 1 == record.raw_tables.size()) {
      m_connection.execute("INSERT INTO " + table("restore_raw_tables")
                           + " (restore_id, position, live_name, table_name) VALUES " + values);
      values.clear();
    }
  }
}

void Journal::set_state(const std::string& id, RestoreState state, const std::string& message) {
  m_connection.execute("UPDATE " + table("restores")
                       + " SET state = " + m_connection.quote(to_string(state))
                       + ", updated_at = UTC_TIMESTAMP(), message = " + m_connection.quote(message)
                       + " WHERE id = " + m_connection.quote(id));
}

void Journal::set_created_live(const std::string& id, const std::string& live) {
  m_connection.execute("UPDATE " + table("restore_databases")
                       + " SET created_live = 1 WHERE restore_id = " + m_connection.quote(id)
                       + " AND live_name = " + m_connection.quote(live));
}

void Journal::record_scheduled_run(const std::string& id, int exit_status) {
  m_connection.execute("UPDATE " + table("restores")
                       + " SET scheduled_exit = " + std::to_string(exit_status)
                       + ", updated_at = UTC_TIMESTAMP() WHERE id = " + m_connection.quote(id));
}

std::optional<RestoreRecord> Journal::latest() {
  if (!exists()) {
    return std::nullopt;
  }
  const auto rows = m_connection
                        .query("SELECT id, state, archive, host, tool_version, "
                               "DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s'), "
                               "updated_at, target_json, plan_json, scheduled_command, "
                               "scheduled_exit, keep_previous, message FROM "
                               + table("restores") + " ORDER BY started_at DESC, id DESC LIMIT 1")
                        .rows();
  if (rows.empty()) {
    return std::nullopt;
  }
  const auto& row = rows.front();
  RestoreRecord record;
  record.id = text_or_empty(row.at(0));
  record.state = parse_restore_state(text_or_empty(row.at(1)));
  record.archive = text_or_empty(row.at(2));
  record.host = text_or_empty(row.at(3));
  record.tool_version = text_or_empty(row.at(4));
  record.started_at = text_or_empty(row.at(5));
  record.updated_at = text_or_empty(row.at(6));
  record.target_json = text_or_empty(row.at(7));
  record.plan_json = text_or_empty(row.at(8));
  record.scheduled_digest = text_or_empty(row.at(9));
  if (row.at(10)) {
    record.scheduled_exit = core::parse_decimal<int>(*row.at(10)); // a forged value reads as none
  }
  record.keep_previous = text_or_empty(row.at(11)) == "1";
  record.message = text_or_empty(row.at(12));
  if (has_kind_column()) {
    record.kind =
        parse_restore_kind(m_connection
                               .query_value("SELECT kind FROM " + table("restores")
                                            + " WHERE id = " + m_connection.quote(record.id))
                               .value_or(""));
  }
  load_databases(record);
  load_raw_tables(record);
  return record;
}

void Journal::load_databases(RestoreRecord& record) {
  for (const auto& row : m_connection
                             .query("SELECT live_name, staging_name, previous_name, role, "
                                    "created_live FROM "
                                    + table("restore_databases") + " WHERE restore_id = "
                                    + m_connection.quote(record.id) + " ORDER BY position")
                             .rows()) {
    JournalDatabase d;
    d.live = text_or_empty(row.at(0));
    d.staging = text_or_empty(row.at(1));
    d.previous = text_or_empty(row.at(2));
    d.role = text_or_empty(row.at(3)) == "main" ? archive::DatabaseRole::main
                                                : archive::DatabaseRole::message;
    d.created_live = text_or_empty(row.at(4)) == "1";
    record.databases.push_back(std::move(d));
  }
}

// Strictly: every name a raw table of one of the record's databases, and a bounded count,
// since rollback drops the tables an add brought back by these names.
void Journal::load_raw_tables(RestoreRecord& record) {
  if (m_connection
          .query_value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                       + m_connection.quote(k_journal_database)
                       + " AND TABLE_NAME = 'restore_raw_tables'")
          .value_or("0")
      == "0") {
    return;
  }
  const auto rows = m_connection
                        .query("SELECT live_name, table_name FROM " + table("restore_raw_tables")
                               + " WHERE restore_id = " + m_connection.quote(record.id)
                               + " ORDER BY position LIMIT " + std::to_string(k_max_raw_tables + 1))
                        .rows();
  if (rows.size() > k_max_raw_tables) {
    throw_forged_raw_table(record.id, "more than " + std::to_string(k_max_raw_tables) + " rows");
  }
  for (const auto& row : rows) {
    JournalRawTable raw{text_or_empty(row.at(0)), text_or_empty(row.at(1))};
    const bool known_database =
        std::any_of(record.databases.begin(),
                    record.databases.end(),
                    [&](const JournalDatabase& d) { return d.live == raw.database; });
    if (!postal::raw_table_date(raw.table) || !known_database) {
      throw_forged_raw_table(record.id,
                             "'" + raw.database + "'.'" + raw.table
                                 + "', not a raw table of its databases");
    }
    record.raw_tables.push_back(std::move(raw));
  }
}

std::string this_host() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

std::string new_restore_id() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> digits(0, 0xffffffffU);
  char text[9];
  std::snprintf(text, sizeof text, "%08x", digits(device));
  return text;
}

std::string staging_name(const std::string& id, std::size_t index) {
  return "pbk_" + id + "_new_" + std::to_string(index);
}

std::string previous_name(const std::string& id, std::size_t index) {
  return "pbk_" + id + "_old_" + std::to_string(index);
}

} // namespace pbk::restore
