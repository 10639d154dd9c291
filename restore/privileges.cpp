// SPDX-License-Identifier: MIT
#include "restore/privileges.hpp"

#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "restore/journal.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace pbk::restore {
namespace {

using core::db::Connection;
using Privileges = std::set<std::string>;

// Who the server checks privileges for: CURRENT_USER() ("name@host", the account matched),
// as information_schema spells a grantee ('name'@'host').
std::string current_grantee(Connection& target) {
  const auto account = target.query_value("SELECT CURRENT_USER()").value_or("");
  const auto at = account.rfind('@');
  if (at == std::string::npos) {
    return "'" + account + "'";
  }
  return "'" + account.substr(0, at) + "'@'" + account.substr(at + 1) + "'";
}

// A role in effect grants privileges this check does not follow; MySQL 5.7 has no roles.
bool role_in_effect(Connection& target) {
  try {
    const auto role = target.query_value("SELECT CURRENT_ROLE()");
    return role && !role->empty() && *role != "NONE";
  } catch (const core::db::DbError&) {
    return false;
  }
}

Privileges missing_on(const Grants& grants, const std::string& database) {
  Privileges missing;
  for (const char* privilege : k_restore_privileges) {
    if (!grants.holds(privilege, database)) {
      missing.insert(privilege);
    }
  }
  return missing;
}

std::string joined(const Privileges& privileges) {
  std::string text;
  for (const char* privilege : k_restore_privileges) {
    if (privileges.contains(privilege)) {
      text += (text.empty() ? "" : ", ") + std::string(privilege);
    }
  }
  return text;
}

// The databases a restore writes, each with the name shown for it.
std::vector<std::pair<std::string, std::string>>
written_databases(const std::vector<std::string>& databases) {
  std::vector<std::pair<std::string, std::string>> written;
  for (const auto& database : databases) {
    written.emplace_back(database, database);
  }
  written.emplace_back(staging_name("00000000", 0), "pbk_<id>_new_<n> (staging)");
  written.emplace_back(previous_name("00000000", 0), "pbk_<id>_old_<n> (set aside)");
  written.emplace_back(k_journal_database, std::string(k_journal_database) + " (journal)");
  return written;
}

} // namespace

// Databases that lack the same privileges are named together.
std::string missing_restore_privileges(const Grants& grants,
                                       const std::vector<std::string>& databases) {
  std::map<std::string, std::string> by_privileges;
  std::vector<std::string> order;
  for (const auto& [name, shown] : written_databases(databases)) {
    const auto missing = missing_on(grants, name);
    if (missing.empty()) {
      continue;
    }
    auto& names = by_privileges[joined(missing)];
    if (names.empty()) {
      order.push_back(joined(missing));
    }
    names += (names.empty() ? "" : ", ") + shown;
  }
  std::string text;
  for (const auto& privileges : order) {
    text += (text.empty() ? "" : "; ") + privileges + " on " + by_privileges[privileges];
  }
  return text;
}

bool Grants::holds(std::string_view privilege, std::string_view database) const {
  return global.contains(std::string(privilege))
         || std::any_of(schema.begin(), schema.end(), [&](const auto& g) {
              return g.second == privilege && grant_pattern_matches(g.first, database);
            });
}

// Rows of other accounts are visible to an administrator: only the grantee's are kept.
Grants read_grants(Connection& target) {
  Grants grants;
  grants.grantee = current_grantee(target);
  for (const auto& row :
       target.query("SELECT GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES")
           .rows()) {
    if (row.size() == 2 && row[0] == grants.grantee && row[1]) {
      grants.global.insert(*row[1]);
    }
  }
  for (const auto& row : target
                             .query("SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE FROM "
                                    "information_schema.SCHEMA_PRIVILEGES")
                             .rows()) {
    if (row.size() == 3 && row[0] == grants.grantee && row[1] && row[2]) {
      grants.schema.emplace_back(*row[1], *row[2]);
    }
  }
  grants.role = role_in_effect(target);
  return grants;
}

bool grant_pattern_matches(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) {
    return name.empty();
  }
  if (pattern.front() == '%') {
    for (std::size_t skip = 0; skip <= name.size(); ++skip) {
      if (grant_pattern_matches(pattern.substr(1), name.substr(skip))) {
        return true;
      }
    }
    return false;
  }
  if (name.empty()) {
    return false;
  }
  if (pattern.front() == '\\' && pattern.size() > 1) {
    return pattern[1] == name.front() && grant_pattern_matches(pattern.substr(2), name.substr(1));
  }
  return (pattern.front() == '_' || pattern.front() == name.front())
         && grant_pattern_matches(pattern.substr(1), name.substr(1));
}

std::vector<std::string> check_privileges(Connection& target,
                                          const std::vector<std::string>& databases) {
  const auto grants = read_grants(target);
  const auto& grantee = grants.grantee;
  std::vector<std::string> warnings;
  const auto missing = missing_restore_privileges(grants, databases);
  if (!missing.empty() && grants.role) {
    warnings.push_back("privileges granted through a role were not checked; without a role, "
                       + grantee + " lacks " + missing);
  } else if (!missing.empty()) {
    throw core::Error(core::ExitCode::refused,
                      "the restoring user " + grantee + " lacks privileges a restore needs: "
                          + missing + "; nothing was written",
                      {"GRANT SELECT, INSERT, UPDATE, CREATE, DROP, ALTER ON *.* TO " + grantee
                       + ", or restore as root (or Postal's own database user)"});
  }
  if (!grants.global.contains("PROCESS")) {
    warnings.push_back(grantee
                       + " lacks the PROCESS privilege: the check that Postal is no "
                         "longer connected sees only this user's own connections "
                         "(GRANT PROCESS ON *.* TO "
                       + grantee + ")");
  }
  return warnings;
}

} // namespace pbk::restore
