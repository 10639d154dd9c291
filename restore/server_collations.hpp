// SPDX-License-Identifier: MIT
// The character sets and collations the target server has, read once per restore, so that the
// names an archive gives its databases and tables are checked before the server sees them.
#pragma once

#include "archive/manifest.hpp"
#include "archive/table_definition.hpp"

#include "core/db/connection.hpp"

#include <set>
#include <string>
#include <string_view>

namespace pbk::restore {

class ServerCollations {
public:
  // Reads information_schema.COLLATION_CHARACTER_SET_APPLICABILITY.
  [[nodiscard]] static ServerCollations read(core::db::Connection& connection);

  [[nodiscard]] bool has_charset(std::string_view name) const;
  [[nodiscard]] bool has_collation(std::string_view name) const;

  // Throws core::Error (refused) naming the first charset or collation of `definition` the
  // server does not have.
  void check(const archive::TableDefinition& definition, const std::string& label) const;
  void check(const archive::DatabaseInfo& database, const std::string& label) const;

private:
  void
  check_pair(std::string_view charset, std::string_view collation, const std::string& what) const;

  std::set<std::string, std::less<>> m_charsets;   // lower case, utf8 spelled utf8mb3
  std::set<std::string, std::less<>> m_collations; // lower case, utf8_* spelled utf8mb3_*
};

} // namespace pbk::restore
