// SPDX-License-Identifier: MIT
#include "archive/create_database_statement.hpp"

#include "archive/table_definition.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace pbk::archive {

void check_database_charset(const archive::DatabaseInfo& database, const std::string& label) {
  if (!is_charset_name(database.charset) || !is_charset_name(database.collation)) {
    throw core::IntegrityError(label + ": backup.json gives database " + database.name
                                   + " a character set or collation that is not a plain name",
                               {"the archive was altered: restore from another copy"});
  }
}

std::string create_database_sql(std::string_view name,
                                const archive::DatabaseInfo& database,
                                const std::string& label) {
  check_database_charset(database, label);
  return "CREATE DATABASE " + core::db::Connection::quote_identifier(name)
         + " DEFAULT CHARACTER SET " + database.charset + " COLLATE " + database.collation;
}

} // namespace pbk::archive
