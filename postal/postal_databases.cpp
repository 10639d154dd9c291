// SPDX-License-Identifier: MIT
#include "postal/postal_databases.hpp"

#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "core/version_order.hpp"

#include <algorithm>
#include <set>

namespace pbk::postal {
namespace {

using core::db::k_no_such_table;
using core::db::k_table_access_denied;
using core::db::k_unknown_column;

std::set<std::string> database_names(core::db::Connection& connection) {
  std::set<std::string> names;
  for (const auto& row : connection.query("SHOW DATABASES").rows()) {
    if (!row.empty() && row[0]) {
      names.insert(*row[0]);
    }
  }
  return names;
}

bool selected(const DatabaseSelection& selection, const std::string& name) {
  return selection.only.empty()
         || std::find(selection.only.begin(), selection.only.end(), name) != selection.only.end();
}

std::vector<std::string> first_column(core::db::Connection& connection, const std::string& sql) {
  std::vector<std::string> values;
  for (const auto& row : connection.query(sql).rows()) {
    if (!row.empty() && row[0]) {
      values.push_back(*row[0]);
    }
  }
  return values;
}

// Mail servers the main database knows and has not deleted; each must have its message
// database, or the backup would silently miss a server's mail.
std::vector<int> active_server_ids(core::db::Connection& main, const std::string& main_db) {
  const std::string table = core::db::Connection::quote_identifier(main_db) + ".servers";
  std::vector<std::string> ids;
  try {
    ids = first_column(main, "SELECT id FROM " + table + " WHERE deleted_at IS NULL");
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() != k_unknown_column) {
      throw;
    }
    ids = first_column(main, "SELECT id FROM " + table);
  }
  std::vector<int> result;
  for (const auto& id : ids) {
    result.push_back(std::stoi(id));
  }
  return result;
}

void require_message_databases(core::db::Connection& main,
                               core::db::Connection& message,
                               const DatabaseSelection& selection,
                               const std::vector<PostalDatabase>& found) {
  for (const int id : active_server_ids(main, selection.main_db)) {
    const bool present = std::any_of(
        found.begin(), found.end(), [&](const PostalDatabase& d) { return d.server_id == id; });
    if (!present) {
      const std::string name = selection.message_db_prefix + "-server-" + std::to_string(id);
      throw core::Error(core::ExitCode::runtime,
                        "message database '" + name + "' of mail server " + std::to_string(id)
                            + " is not visible on " + message.options().describe()
                            + ": it is missing or the user may not read it",
                        {"GRANT SELECT ON `" + name
                         + "`.* to the backup user, or choose the databases with --databases"});
    }
  }
}

// The server hides tables a user has no privilege on, so a user with table-level grants only
// would get a backup silently missing tables. A table that does not exist tells the two apart:
// with SELECT on the whole database (directly, by a wildcard, globally or by a role) it is
// "doesn't exist" (1146); without, "SELECT command denied" (1142).
void require_whole_database_readable(core::db::Connection& connection, const std::string& name) {
  try {
    connection.execute("SELECT 1 FROM " + core::db::Connection::quote_identifier(name)
                       + ".`postal-backup privilege probe` LIMIT 0");
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() == k_no_such_table) {
      return;
    }
    if (e.mysql_errno() != k_table_access_denied) {
      throw;
    }
    throw core::Error(core::ExitCode::runtime,
                      "the user may read only some tables of database '" + name + "' on "
                          + connection.options().describe()
                          + ": tables it has no privilege on are hidden from it and would be "
                            "missing from the backup",
                      {"GRANT SELECT ON `" + name + "`.* to the backup user"});
  }
}

// The names the main connection sees; the main database must be among them.
std::set<std::string> require_main_database(core::db::Connection& main,
                                            const DatabaseSelection& selection) {
  auto names = database_names(main);
  if (!names.contains(selection.main_db)) {
    throw core::Error(core::ExitCode::runtime,
                      "main database '" + selection.main_db + "' not found on "
                          + main.options().describe(),
                      {"name it with --main-db (or main_db.database in postal.yml), and check that "
                       "the user may see it (GRANT SELECT ON `"
                       + selection.main_db + "`.* ...)"});
  }
  return names;
}

// Sorted by server id, not by name, so server 10 follows server 9.
std::vector<PostalDatabase> selected_message_databases(const std::set<std::string>& names,
                                                       std::size_t message_index,
                                                       const DatabaseSelection& selection) {
  std::vector<PostalDatabase> messages;
  for (const auto& name : names) {
    const auto id = message_db_server_id(name, selection.message_db_prefix);
    if (id && selected(selection, name)) {
      messages.push_back({name, archive::DatabaseRole::message, id, message_index});
    }
  }
  std::sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) {
    return *a.server_id < *b.server_id;
  });
  return messages;
}

// A name in --databases that matched nothing is a typo: backing up less than asked is refused.
void require_every_named_database(const DatabaseSelection& selection,
                                  const std::vector<PostalDatabase>& found) {
  for (const auto& wanted : selection.only) {
    const bool known = std::any_of(
        found.begin(), found.end(), [&](const PostalDatabase& d) { return d.name == wanted; });
    if (!known) {
      throw core::Error(core::ExitCode::usage,
                        "--databases names '" + wanted
                            + "', which is neither the main database nor a message database ("
                            + selection.message_db_prefix + "-server-<id>) on the server",
                        {"list the databases with SHOW DATABASES and check --message-db-prefix"});
    }
  }
}

} // namespace

std::optional<int> message_db_server_id(const std::string& name, const std::string& prefix) {
  const std::string head = prefix + "-server-";
  if (name.size() <= head.size() || name.compare(0, head.size(), head) != 0) {
    return std::nullopt;
  }
  const std::string id = name.substr(head.size());
  if (id.size() > 9
      || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(id);
}

std::vector<PostalDatabase> find_postal_databases(core::db::Connection& main,
                                                  core::db::Connection& message,
                                                  std::size_t message_index,
                                                  const DatabaseSelection& selection) {
  const auto main_names = require_main_database(main, selection);
  std::vector<PostalDatabase> found;
  if (selected(selection, selection.main_db)) {
    found.push_back({selection.main_db, archive::DatabaseRole::main, std::nullopt, 0});
  }
  const auto messages = selected_message_databases(
      message_index == 0 ? main_names : database_names(message), message_index, selection);
  found.insert(found.end(), messages.begin(), messages.end());
  if (selection.only.empty()) {
    require_message_databases(main, message, selection, found);
  }
  require_every_named_database(selection, found);
  for (const auto& database : found) {
    require_whole_database_readable(database.role == archive::DatabaseRole::main ? main : message,
                                    database.name);
  }
  return found;
}

std::vector<std::string> read_main_migrations(core::db::Connection& connection,
                                              const std::string& database) {
  std::vector<std::string> versions;
  try {
    versions =
        first_column(connection,
                     "SELECT version FROM " + core::db::Connection::quote_identifier(database)
                         + ".schema_migrations");
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() != k_no_such_table) {
      throw;
    }
    throw core::Error(core::ExitCode::runtime,
                      "database '" + database
                          + "' has no schema_migrations table, so it is not a Postal main database",
                      {"name Postal's main database with --main-db"});
  }
  std::sort(versions.begin(), versions.end(), [](const std::string& a, const std::string& b) {
    return core::compare_levels(a, b) < 0;
  });
  return versions;
}

std::vector<std::string> read_message_migrations(core::db::Connection& connection,
                                                 const std::string& database) {
  try {
    return first_column(connection,
                        "SELECT version FROM " + core::db::Connection::quote_identifier(database)
                            + ".migrations ORDER BY version");
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() != k_no_such_table) {
      throw;
    }
    return {}; // Postal reads a missing migrations table as level 0
  }
}

} // namespace pbk::postal
