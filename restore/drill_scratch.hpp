// SPDX-License-Identifier: MIT
// The scratch databases of one drill and the server lock that marks their owner alive. The
// lock `postal-backup:drill:<id>` is taken before any database is made and held by the
// drill's own connection, so the server frees it when the drill ends in any way, a SIGKILL
// included: a `pbk_drill_<id>_…` database whose lock is free belongs to nobody, and the next
// drill drops it. Names are recognised only in that exact form (8 lowercase hex digits), so
// nothing else on the server is ever dropped.
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

// The id of a scratch database name `pbk_drill_<id>_…`; empty for any other name.
[[nodiscard]] std::string drill_id_of(const std::string& database);

} // namespace pbk::restore
