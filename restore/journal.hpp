// SPDX-License-Identifier: MIT
// The restore journal: a small database of the tool's own (`postal_backup`) on the target
// server, so `status`, `finish` and `rollback` work from any host and a second restore sees
// an unfinished one. It records what a restore decided (target, plan) and which databases it
// staged and set aside; whether the swap itself happened is told by the swap marker (see
// swap.hpp), which the swap's own RENAME TABLE statement moves, so the two never disagree.
#pragma once

#include "archive/manifest.hpp"

#include "core/db/connection.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::restore {

inline constexpr const char* k_journal_database = "postal_backup";

// loading → swapping → awaiting_migrations → finished; or failed / rolled_back / abandoned.
enum class RestoreState {
  loading,
  swapping,
  awaiting_migrations,
  finished,
  failed,
  rolled_back,
  abandoned
};

[[nodiscard]] const char* to_string(RestoreState state);
[[nodiscard]] RestoreState parse_restore_state(const std::string& text);
// Whether the live databases may hold restored data that is not final yet.
[[nodiscard]] bool is_open(RestoreState state);

// A whole restore (staging databases swapped for the live ones), or `restore --add-raw`: raw
// tables brought back into a running install and its messages re-linked (restore/raw_return).
enum class RestoreKind { restore, add_raw };

[[nodiscard]] const char* to_string(RestoreKind kind);

// A raw table a restore left out (kind restore) or brought back (kind add_raw).
struct JournalRawTable {
  std::string database; // its live message database, one of the record's databases
  std::string table;    // raw-YYYY-MM-DD
};

struct JournalDatabase {
  std::string live;     // the Postal database name
  std::string staging;  // where the archive's tables are loaded
  std::string previous; // where the live tables are set aside by the swap
  archive::DatabaseRole role = archive::DatabaseRole::main;
  bool created_live = false; // the live database did not exist before this restore
};

struct RestoreRecord {
  std::string id;
  RestoreKind kind = RestoreKind::restore;
  RestoreState state = RestoreState::loading;
  std::string archive;
  std::string host; // where the restore ran
  std::string tool_version;
  std::string started_at; // UTC, "YYYY-MM-DD HH:MM:SS"
  std::string updated_at;
  std::string target_json; // the target release (target_to_json, restore/gate.hpp)
  std::string plan_json;   // what the plan said, for status
  // --schedule-migrations: "sha256:<hex>" of the command, never the command itself (stored
  // in the column `scheduled_command`, which once held it). Whoever can write to this
  // database must not choose what runs at Postal's start: `status --run-scheduled CMD` takes
  // the command from its own command line and only checks it against this digest.
  std::string scheduled_digest;
  std::optional<int> scheduled_exit; // set once --run-scheduled ran it
  bool keep_previous = false;
  std::string message; // the last error or note
  std::vector<JournalDatabase> databases;
  // Kind restore: the raw tables a selective restore left out; kind add_raw: those it brings
  // back. Journals written before either kind existed hold none.
  std::vector<JournalRawTable> raw_tables;
};

class Journal {
public:
  explicit Journal(core::db::Connection& connection);

  // Creates the journal database and tables when missing.
  void ensure_exists();
  [[nodiscard]] bool exists();

  void insert(const RestoreRecord& record);
  void set_state(const std::string& id, RestoreState state, const std::string& message = "");
  void set_created_live(const std::string& id, const std::string& live);
  void record_scheduled_run(const std::string& id, int exit_status);

  // The most recent restore, if any.
  [[nodiscard]] std::optional<RestoreRecord> latest();

private:
  [[nodiscard]] std::string table(const char* name) const;
  void load_databases(RestoreRecord& record);
  void load_raw_tables(RestoreRecord& record);
  void insert_raw_tables(const RestoreRecord& record);
  [[nodiscard]] bool has_kind_column();

  core::db::Connection& m_connection;
};

// A fresh id: 8 lowercase hex digits (part of the staging database names).
[[nodiscard]] std::string new_restore_id();
// This machine's host name, as a journal record names where a restore ran ("unknown" when
// the system cannot say).
[[nodiscard]] std::string this_host();
[[nodiscard]] std::string staging_name(const std::string& id, std::size_t index);
[[nodiscard]] std::string previous_name(const std::string& id, std::size_t index);

} // namespace pbk::restore
