// SPDX-License-Identifier: MIT
#include "postal/raw_table_state.hpp"

#include "postal/raw_tables.hpp"

#include "core/decimal.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace pbk::postal {
namespace {

using core::db::Connection;

// Message ids per IN (...) list: a statement of a few KiB, far below max_allowed_packet.
constexpr std::size_t k_ids_per_lookup = 1000;

// What each rule of the header reads; a database without one of them gets the conservative
// answer.
const std::vector<std::string> k_message_columns{
    "raw_table", "scope", "status", "parsed", "inspected", "spam"};
const std::vector<std::string> k_queue_columns{"server_id", "message_id"};

// The state that keeps a message's raw rows open to rewriting (the rule of the header). NULL
// counts as "not done yet": Postal writes 0 or 1, and a NULL must not make a table reusable.
constexpr const char* k_unsettled_message =
    "status <=> 'Pending'"
    " OR (NOT scope <=> 'incoming' AND (COALESCE(parsed, 0) = 0 OR status <=> 'Held'"
    "     OR (status <=> 'HardFail' AND COALESCE(spam, 1) <> 0)))"
    " OR (NOT scope <=> 'outgoing' AND COALESCE(inspected, 0) = 0)";

std::set<std::string>
column_names(Connection& connection, const std::string& db, const std::string& table) {
  std::set<std::string> names;
  const auto result =
      connection.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                       + connection.quote(db) + " AND TABLE_NAME = " + connection.quote(table));
  for (const auto& row : result.rows()) {
    if (!row.empty() && row[0]) {
      names.insert(*row[0]);
    }
  }
  return names;
}

bool has_columns(Connection& connection,
                 const std::string& db,
                 const std::string& table,
                 const std::vector<std::string>& wanted) {
  const auto present = column_names(connection, db, table);
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& column) {
    return present.contains(column);
  });
}

void insert_first_column(Connection& connection,
                         const std::string& sql,
                         std::set<std::string>& values) {
  for (const auto& row : connection.query(sql).rows()) {
    if (!row.empty() && row[0]) {
      values.insert(*row[0]);
    }
  }
}

// The conservative answer: every raw-YYYY-MM-DD table of the database.
std::set<std::string> all_raw_tables(Connection& connection, const std::string& db) {
  std::set<std::string> names;
  insert_first_column(connection,
                      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                          + connection.quote(db) + " AND TABLE_NAME LIKE 'raw-%'",
                      names);
  std::erase_if(names, [](const std::string& name) { return !raw_table_date(name); });
  return names;
}

// The ids of this mail server's messages in the queue. Read whole before the message database
// is asked anything: the two connections may be one.
std::vector<std::int64_t>
queued_message_ids(Connection& main, const std::string& main_db, int server_id) {
  std::vector<std::int64_t> ids;
  auto rows = main.stream(
      "SELECT message_id FROM " + Connection::qualified_name(main_db, "queued_messages")
      + " WHERE server_id = " + std::to_string(server_id) + " AND message_id IS NOT NULL");
  while (const auto* row = rows.next()) {
    const auto id = core::parse_decimal<std::int64_t>(row->value(0));
    if (!id) {
      throw core::Error(core::ExitCode::runtime,
                        "queued_messages of " + main_db + " holds a message_id that is no number",
                        {"check the main database (--main-db)"});
    }
    ids.push_back(*id);
  }
  return ids;
}

// The comma-separated ids of the batch starting at `first`, at most k_ids_per_lookup of them.
std::string id_batch(const std::vector<std::int64_t>& ids, std::size_t first) {
  const auto last = std::min(ids.size(), first + k_ids_per_lookup);
  std::string list;
  for (std::size_t i = first; i < last; ++i) {
    list += (i == first ? "" : ",") + std::to_string(ids[i]);
  }
  return list;
}

void insert_raw_tables_of(Connection& connection,
                          const std::string& message_db,
                          const std::vector<std::int64_t>& ids,
                          std::set<std::string>& tables) {
  for (std::size_t first = 0; first < ids.size(); first += k_ids_per_lookup) {
    insert_first_column(
        connection,
        "SELECT DISTINCT raw_table FROM " + Connection::qualified_name(message_db, "messages")
            + " WHERE raw_table IS NOT NULL AND id IN (" + id_batch(ids, first) + ")",
        tables);
  }
}

// Rows named so far across the database's tables, against k_max_rewritable_rows.
class RowBudget {
public:
  explicit RowBudget(std::map<std::string, RewritableRows>& rows)
      : m_rows(rows) {}

  // Counts `id` as rewritable in `table`; false when the table counts whole (already, or from
  // now on). A link to a row already named is a loop or a row shared between chains, which
  // Postal never writes; a message's first rows may be named twice (queued and unprocessed).
  bool add(const std::string& table, std::int64_t id, bool link) {
    auto& rows = m_rows[table];
    if (rows.whole_table) {
      return false;
    }
    if (!rows.ids.insert(id).second) {
      if (link) {
        whole(table);
      }
      return !link;
    }
    if (++m_named > k_max_rewritable_rows) {
      whole(table);
      return false;
    }
    return true;
  }

  void whole(const std::string& table) {
    auto& rows = m_rows[table];
    m_named -= std::min(m_named, rows.ids.size());
    rows.ids.clear();
    rows.whole_table = true;
  }

private:
  std::map<std::string, RewritableRows>& m_rows;
  std::size_t m_named = 0;
};

std::optional<std::int64_t> row_id(const core::db::RowView& row, std::size_t column) {
  return row.is_null(column) ? std::nullopt : core::parse_decimal<std::int64_t>(row.value(column));
}

// The first rows of the messages `sql` selects (raw_table, raw_headers_id, raw_body_id). A
// message without one is not one whose rows can be named.
void add_first_rows(Connection& connection, const std::string& sql, RowBudget& budget) {
  auto rows = connection.stream(sql);
  while (const auto* row = rows.next()) {
    const std::string table(row->value(0));
    const auto headers = row_id(*row, 1);
    const auto body = row_id(*row, 2);
    if (!headers || !body) {
      budget.whole(table);
      continue;
    }
    (void)(budget.add(table, *headers, false) && budget.add(table, *body, false));
  }
}

// Follows the chains from the rows named so far through `next`, one link of every chain per
// round, looking rows up by primary key in batches.
void follow_chains(Connection& connection,
                   const std::string& db,
                   const std::string& table,
                   RewritableRows& rows,
                   RowBudget& budget) {
  if (!has_columns(connection, db, table, {"id", "next"})) {
    budget.whole(table);
    return;
  }
  std::vector<std::int64_t> frontier(rows.ids.begin(), rows.ids.end());
  for (std::size_t link = 0; !frontier.empty(); ++link) {
    if (link == k_max_chain_rows) {
      budget.whole(table);
      return;
    }
    std::vector<std::int64_t> next;
    for (std::size_t first = 0; first < frontier.size(); first += k_ids_per_lookup) {
      const auto found = connection.query(
          "SELECT `next` FROM " + Connection::qualified_name(db, table)
          + " WHERE `next` IS NOT NULL AND id IN (" + id_batch(frontier, first) + ")");
      for (const auto& row : found.rows()) {
        const auto id =
            row.empty() || !row[0] ? std::nullopt : core::parse_decimal<std::int64_t>(*row[0]);
        if (!id || !budget.add(table, *id, true)) {
          budget.whole(table);
          return;
        }
        next.push_back(*id);
      }
    }
    frontier = std::move(next);
  }
}

std::string optional_text(const std::optional<std::string>& value) {
  return value.value_or("");
}

} // namespace

std::set<std::string> unsettled_raw_tables(Connection& message_connection,
                                           const std::string& message_db,
                                           Connection& main_connection,
                                           const std::string& main_db,
                                           int server_id) {
  // Message databases before level 17 have no `parsed`: nothing tells a message whose body
  // Postal will still rewrite from one it has finished with.
  if (!has_columns(message_connection, message_db, "messages", k_message_columns)
      || !has_columns(main_connection, main_db, "queued_messages", k_queue_columns)) {
    return all_raw_tables(message_connection, message_db);
  }
  const auto queued = queued_message_ids(main_connection, main_db, server_id);
  std::set<std::string> tables;
  insert_first_column(message_connection,
                      "SELECT DISTINCT raw_table FROM "
                          + Connection::qualified_name(message_db, "messages")
                          + " WHERE raw_table IS NOT NULL AND (" + k_unsettled_message + ")",
                      tables);
  insert_raw_tables_of(message_connection, message_db, queued, tables);
  return tables;
}

bool RewritableRows::any_in(std::int64_t first, std::int64_t last) const {
  if (whole_table) {
    return true;
  }
  const auto found = ids.lower_bound(first);
  return found != ids.end() && *found <= last;
}

std::map<std::string, RewritableRows> rewritable_raw_rows(Connection& message_connection,
                                                          const std::string& message_db,
                                                          Connection& main_connection,
                                                          const std::string& main_db,
                                                          int server_id) {
  std::map<std::string, RewritableRows> rows;
  RowBudget budget(rows);
  auto columns = k_message_columns;
  columns.insert(columns.end(), {"raw_headers_id", "raw_body_id"});
  if (!has_columns(message_connection, message_db, "messages", columns)
      || !has_columns(main_connection, main_db, "queued_messages", k_queue_columns)) {
    for (const auto& table : all_raw_tables(message_connection, message_db)) {
      budget.whole(table);
    }
    return rows;
  }
  const auto queued = queued_message_ids(main_connection, main_db, server_id);
  const std::string select = "SELECT raw_table, raw_headers_id, raw_body_id FROM "
                             + Connection::qualified_name(message_db, "messages")
                             + " WHERE raw_table IS NOT NULL AND ";
  add_first_rows(message_connection, select + "(" + k_unsettled_message + ")", budget);
  for (std::size_t first = 0; first < queued.size(); first += k_ids_per_lookup) {
    add_first_rows(message_connection, select + "id IN (" + id_batch(queued, first) + ")", budget);
  }
  for (auto& [table, found] : rows) {
    if (!found.whole_table) {
      follow_chains(message_connection, message_db, table, found, budget);
    }
  }
  return rows;
}

RawTableFingerprint
raw_table_fingerprint(Connection& connection, const std::string& db, const std::string& table) {
  RawTableFingerprint fingerprint;
  fingerprint.max_id = optional_text(
      connection.query_value("SELECT MAX(id) FROM " + Connection::qualified_name(db, table)));
  if (has_columns(connection, db, "messages", {"raw_table"})) {
    const auto count =
        connection.query_value("SELECT COUNT(*) FROM " + Connection::qualified_name(db, "messages")
                               + " WHERE raw_table = " + connection.quote(table));
    fingerprint.messages = core::parse_decimal<std::uint64_t>(optional_text(count)).value_or(0);
  }
  if (has_columns(connection, db, "raw_message_sizes", {"id", "table_name", "size"})) {
    fingerprint.recorded_size = optional_text(connection.query_value(
        "SELECT GROUP_CONCAT(COALESCE(size, 'NULL') ORDER BY id SEPARATOR ',') FROM "
        + Connection::qualified_name(db, "raw_message_sizes")
        + " WHERE table_name = " + connection.quote(table)));
  }
  return fingerprint;
}

std::string
raw_table_checksum(Connection& connection, const std::string& db, const std::string& table) {
  // CHECKSUM TABLE answers a missing table with a NULL checksum and a warning, not an error.
  const auto rows =
      connection.query("CHECKSUM TABLE " + Connection::qualified_name(db, table)).rows();
  if (rows.size() != 1 || rows[0].size() < 2 || !rows[0][1]) {
    throw core::Error(core::ExitCode::runtime,
                      "cannot checksum raw table " + db + "." + table
                          + ": the server gave no checksum (does the table exist?)",
                      {"check that the table exists on the server and that the backup user may "
                       "read it"});
  }
  return *rows[0][1];
}

} // namespace pbk::postal
