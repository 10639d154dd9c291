// SPDX-License-Identifier: MIT
#include "restore/raw_return.hpp"

#include "postal/raw_tables.hpp"

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/failpoint.hpp"
#include "restore/swap.hpp"

#include <map>

namespace pbk::restore {
namespace {

using core::db::Connection;

std::string marker_name(const std::string& restore_id, bool done) {
  return "addraw_" + restore_id + (done ? "_done" : "_pending");
}

std::string marker(const std::string& restore_id, bool done) {
  return Connection::qualified_name(k_journal_database, marker_name(restore_id, done));
}

// Only names that are raw tables become identifiers (the journal is read from the server).
const std::string& checked_raw_name(const std::string& table) {
  if (!postal::raw_table_date(table)) {
    throw core::Error(core::ExitCode::runtime,
                      "'" + table + "' is not a raw-YYYY-MM-DD table; nothing was changed",
                      {"the restore journal was not written by postal-backup"});
  }
  return table;
}

const std::string& staging_of(const RestoreRecord& record, const std::string& live) {
  for (const auto& database : record.databases) {
    if (database.live == live) {
      return database.staging;
    }
  }
  throw core::Error(core::ExitCode::runtime,
                    "restore " + record.id + " names raw tables of '" + live
                        + "', which it did not stage; nothing was changed",
                    {"the restore journal was not written by postal-backup"});
}

// Per live database, its brought-back tables as a quoted list: ('raw-2024-01-01', …).
std::map<std::string, std::string> table_lists(Connection& connection,
                                               const RestoreRecord& record) {
  std::map<std::string, std::string> lists;
  for (const auto& raw : record.raw_tables) {
    auto& list = lists[raw.database];
    list += (list.empty() ? "(" : ", ") + connection.quote(checked_raw_name(raw.table));
  }
  for (auto& [database, list] : lists) {
    list += ")";
  }
  return lists;
}

std::uint64_t number(Connection& connection, const std::string& sql) {
  return core::parse_decimal<std::uint64_t>(connection.query_value(sql).value_or("0")).value_or(0);
}

// The messages of one database; the token guards against a message of the same id that is
// another message (ids of a rebuilt server, an archive of another install).
void relink_messages(Connection& connection,
                     const std::string& live,
                     const std::string& staging,
                     const std::string& tables,
                     RelinkCounts& counts) {
  connection.execute("UPDATE " + Connection::qualified_name(live, "messages") + " AS live JOIN "
                     + Connection::qualified_name(staging, "messages")
                     + " AS archived ON archived.id = live.id SET live.raw_table = "
                       "archived.raw_table, live.raw_headers_id = archived.raw_headers_id, "
                       "live.raw_body_id = archived.raw_body_id, live.size = archived.size "
                       "WHERE live.raw_table IS NULL AND live.token <=> archived.token AND "
                       "archived.raw_table IN "
                     + tables);
  const auto relinked = number(connection, "SELECT ROW_COUNT()");
  const auto pointing =
      number(connection,
             "SELECT COUNT(*) FROM " + Connection::qualified_name(staging, "messages")
                 + " WHERE raw_table IN " + tables);
  counts.relinked += relinked;
  counts.skipped += pointing > relinked ? pointing - relinked : 0;
}

// The archive's rows, under their own ids unless an id is taken live since; none for a table
// that already has one.
void insert_sizes(Connection& connection,
                  const std::string& live,
                  const std::string& staging,
                  const std::string& tables,
                  RelinkCounts& counts) {
  const auto sizes = Connection::qualified_name(live, "raw_message_sizes");
  connection.execute("INSERT INTO " + sizes
                     + " (id, table_name, size) SELECT IF(EXISTS(SELECT 1 FROM " + sizes
                     + " AS taken WHERE taken.id = archived.id), NULL, archived.id), "
                       "archived.table_name, archived.size FROM "
                     + Connection::qualified_name(staging, "raw_message_sizes")
                     + " AS archived WHERE archived.table_name IN " + tables
                     + " AND NOT EXISTS (SELECT 1 FROM " + sizes
                     + " AS present WHERE present.table_name = archived.table_name) ORDER BY "
                       "archived.id");
  counts.sizes += number(connection, "SELECT ROW_COUNT()");
}

} // namespace

void create_return_marker(Connection& connection, const std::string& restore_id) {
  connection.execute("CREATE TABLE IF NOT EXISTS " + marker(restore_id, false)
                     + " (`restore_id` varchar(16) NOT NULL) ENGINE=InnoDB");
}

ReturnStage return_stage(Connection& connection, const std::string& restore_id) {
  const bool renamed =
      connection
          .query_value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                       + connection.quote(k_journal_database)
                       + " AND TABLE_NAME = " + connection.quote(marker_name(restore_id, true)))
          .value_or("0")
      != "0";
  if (!renamed) {
    return ReturnStage::staged;
  }
  return number(connection, "SELECT COUNT(*) FROM " + marker(restore_id, true)) > 0
             ? ReturnStage::relinked
             : ReturnStage::renamed;
}

void drop_return_marker(Connection& connection, const std::string& restore_id) {
  connection.execute("DROP TABLE IF EXISTS " + marker(restore_id, false) + ", "
                     + marker(restore_id, true));
}

void rename_raw_tables_in(Connection& connection,
                          const RestoreRecord& record,
                          unsigned lock_wait_seconds) {
  std::vector<std::string> renames;
  for (const auto& raw : record.raw_tables) {
    const auto& table = checked_raw_name(raw.table);
    renames.push_back(Connection::qualified_name(staging_of(record, raw.database), table) + " TO "
                      + Connection::qualified_name(raw.database, table));
  }
  renames.push_back(marker(record.id, false) + " TO " + marker(record.id, true));
  rename_at_once(connection, renames, lock_wait_seconds);
}

RelinkCounts relink_raw_tables(Connection& connection, const RestoreRecord& record) {
  const auto lists = table_lists(connection, record);
  RelinkCounts counts;
  connection.execute("START TRANSACTION");
  try {
    for (const auto& [live, tables] : lists) {
      const auto& staging = staging_of(record, live);
      relink_messages(connection, live, staging, tables, counts);
      insert_sizes(connection, live, staging, tables, counts);
    }
    connection.execute("INSERT INTO " + marker(record.id, true) + " (restore_id) VALUES ("
                       + connection.quote(record.id) + ")");
    core::failpoint("add_raw.before_commit");
    connection.execute("COMMIT");
  } catch (...) {
    try {
      connection.execute("ROLLBACK");
    } catch (...) { // the connection is gone: the server rolled back
    }
    throw;
  }
  return counts;
}

std::vector<std::string> drop_raw_tables_renamed_in(Connection& connection,
                                                    const RestoreRecord& record) {
  std::vector<std::string> kept;
  for (const auto& raw : record.raw_tables) {
    const auto& table = checked_raw_name(raw.table);
    const auto pointing = connection.query_value(
        "SELECT 1 FROM " + Connection::qualified_name(raw.database, "messages")
        + " WHERE raw_table = " + connection.quote(table) + " LIMIT 1");
    if (pointing) {
      kept.push_back(raw.database + "." + table);
      continue;
    }
    connection.execute("DROP TABLE IF EXISTS " + Connection::qualified_name(raw.database, table));
  }
  return kept;
}

} // namespace pbk::restore
