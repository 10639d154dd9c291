// SPDX-License-Identifier: MIT
// The scratch databases of one drill and the server lock that marks their owner alive. The
// lock `postal-backup:drill:<id>` is taken before any database is made and held by the
// drill's own connection, so the server frees it when the drill ends in any way, a SIGKILL
// included: a `pbk_drill_<id>_…` database whose lock is free belongs to nobody, and the next
// drill drops it. Names are recognised only in that exact form (8 lowercase hex digits, then
// `_` or `-`), so nothing else on the server is ever dropped.
//
// The main database is `pbk_drill_<id>_main`; a mail server's is `pbk_drill_<id>-server-<n>`,
// named as Postal names message databases (`<prefix>-server-<id>`) with the prefix
// `pbk_drill_<id>`, so that a Postal told that prefix (drill --migrate-with) migrates exactly
// them. Earlier drills named them `pbk_drill_<id>_server_<n>`; those are recognised too. Neither
// form can be Postal's (its prefix would have to be a drill's) or a restore's (`pbk_<id>_new_<n>`,
// `pbk_<id>_old_<n>`).
#pragma once

#include "core/db/connection.hpp"

#include <string>
#include <vector>

namespace pbk::restore {

inline constexpr const char* k_drill_database_prefix = "pbk_drill_";

class DrillScratch {
public:
  // Takes a fresh id and its lock on `connection` (which must outlive this object).
  explicit DrillScratch(core::db::Connection& connection);
  // Drops the databases made (best effort) and frees the lock.
  ~DrillScratch();
  DrillScratch(const DrillScratch&) = delete;
  DrillScratch& operator=(const DrillScratch&) = delete;

  [[nodiscard]] const std::string& id() const { return m_id; }

  // Records `name` as this drill's before it is created, so that it is dropped again.
  void track(const std::string& name) { m_databases.push_back(name); }

  // Drops every database made; throws when the server refuses.
  void drop();

  // Drops the scratch databases of every drill whose process is gone; returns their names.
  [[nodiscard]] std::vector<std::string> remove_abandoned();

private:
  core::db::Connection& m_connection;
  std::string m_id;
  std::vector<std::string> m_databases;
};

// The id of a scratch database name `pbk_drill_<id>_…` or `pbk_drill_<id>-…`; empty for any
// other name.
[[nodiscard]] std::string drill_id_of(const std::string& database);

// What drill `id` (8 lowercase hex digits) names its main database, and the prefix of its
// message databases' names.
[[nodiscard]] std::string drill_main_database(const std::string& id);
[[nodiscard]] std::string drill_message_db_prefix(const std::string& id);

} // namespace pbk::restore
