// SPDX-License-Identifier: MIT
#include "restore/server_collations.hpp"

#include "postal/schema_hash.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace pbk::restore {
namespace {

// Lower case, and the names older servers give utf8mb3 spelled the way newer ones do.
std::string canonical(std::string_view name) {
  std::string lowered(name);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return postal::normalize_charset_name(lowered);
}

} // namespace

ServerCollations ServerCollations::read(core::db::Connection& connection) {
  const auto result =
      connection.query("SELECT * FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY");
  const auto& columns = result.column_names();
  ServerCollations found;
  for (const auto& row : result.rows()) {
    for (std::size_t i = 0; i < row.size() && i < columns.size(); ++i) {
      if (!row[i]) {
        continue;
      }
      // MariaDB 10.10 and later: FULL_COLLATION_NAME is the name tables use.
      if (columns[i] == "CHARACTER_SET_NAME") {
        found.m_charsets.insert(canonical(*row[i]));
      } else if (columns[i] == "COLLATION_NAME" || columns[i] == "FULL_COLLATION_NAME") {
        found.m_collations.insert(canonical(*row[i]));
      }
    }
  }
  return found;
}

bool ServerCollations::has_charset(std::string_view name) const {
  return m_charsets.contains(canonical(name));
}

bool ServerCollations::has_collation(std::string_view name) const {
  return m_collations.contains(canonical(name));
}

void ServerCollations::check_pair(std::string_view charset,
                                  std::string_view collation,
                                  const std::string& what) const {
  const bool charset_ok = charset.empty() || has_charset(charset);
  if (charset_ok && (collation.empty() || has_collation(collation))) {
    return;
  }
  const std::string missing(charset_ok ? collation : charset);
  throw core::Error(core::ExitCode::refused,
                    what + " uses " + (charset_ok ? "collation " : "character set ") + missing
                        + ", which the target server does not have",
                    {"restore into a server that has it (a newer MariaDB or MySQL)"});
}

void ServerCollations::check(const archive::TableDefinition& definition,
                             const std::string& label) const {
  const std::string table = label + ": table " + definition.name;
  check_pair(definition.charset, definition.collation, table);
  for (const auto& column : definition.columns) {
    check_pair(column.charset, column.collation, table + " column " + column.name);
  }
}

void ServerCollations::check(const archive::DatabaseInfo& database,
                             const std::string& label) const {
  check_pair(database.charset, database.collation, label + ": database " + database.name);
}

} // namespace pbk::restore
