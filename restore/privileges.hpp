// SPDX-License-Identifier: MIT
// The privileges a restore needs on the target server, checked before it writes anything: a
// user that lacks one would otherwise fail half-way with the server's raw "Access denied".
// What is missing is listed in one line, per database; a missing PROCESS is a warning, since
// without it the "Postal still connected" refusal sees only this user's own connections.
#pragma once

#include "core/db/connection.hpp"

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pbk::restore {

// What a restore runs: CREATE/DROP DATABASE, CREATE TABLE, INSERT, RENAME TABLE (ALTER and DROP
// on the old name, CREATE and INSERT on the new), SELECT, and UPDATE of the journal.
inline constexpr const char* k_restore_privileges[] = {
    "SELECT", "INSERT", "UPDATE", "CREATE", "DROP", "ALTER"};

// The privileges the connected user holds, as information_schema shows them to it. Privileges
// granted through a role are not listed there (`role` says one is in effect).
struct Grants {
  std::string grantee; // 'name'@'host', as information_schema spells it
  std::set<std::string> global;
  std::vector<std::pair<std::string, std::string>> schema; // database pattern, privilege
  bool role = false;

  [[nodiscard]] bool holds(std::string_view privilege, std::string_view database) const;
};

[[nodiscard]] Grants read_grants(core::db::Connection& target);

// "CREATE, DROP on postal, postal-server-1; UPDATE on postal_backup (journal)": what of
// k_restore_privileges `grants` lack on the databases a restore of `databases` writes; empty
// when nothing.
[[nodiscard]] std::string missing_restore_privileges(const Grants& grants,
                                                     const std::vector<std::string>& databases);

// Throws core::Error(refused) listing each privilege of k_restore_privileges the connected
// user lacks on `databases` (the live names), the staging and set-aside databases (pbk_…) and
// the journal; returns the warnings (PROCESS missing; privileges held through a role, which
// this check does not follow).
[[nodiscard]] std::vector<std::string> check_privileges(core::db::Connection& target,
                                                        const std::vector<std::string>& databases);

// Whether `name` matches a database pattern of a GRANT (`%`, `_`, `\` escapes).
[[nodiscard]] bool grant_pattern_matches(std::string_view pattern, std::string_view name);

} // namespace pbk::restore
