// SPDX-License-Identifier: MIT
// `schema check`: a live database's structure against the expected schema of the level its
// migration table records, and its recorded migrations against a release. A difference is
// explained by the migration that introduces it where the levels tell: a column the recorded
// level should have but the database lacks names the recorded migration that should have added
// it; a column of a later level names the migration that is not recorded.
#pragma once

#include "postal/schema_diff.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pbk::postal {

// A migration as the release catalog lists it: main "20200717083943", message DB "19".
struct NamedMigration {
  std::string id;
  std::string name;
};

// What the check needs of one release; the caller fills it from the release catalog.
struct ReleaseFacts {
  std::string version;
  std::string main_schema_level;
  std::string message_db_schema_level;
  std::vector<std::string> main_migrations;       // versions, ascending
  std::vector<std::string> message_db_migrations; // numbers as text, ascending
};

// One schema level of a database role and the structures that are healthy at it.
struct SchemaLevel {
  std::string level;
  std::vector<NamedMigration> migrations; // after the previous level, up to this one
  std::vector<std::string> schema_files;  // healthy variants, the freshly created one first
  std::vector<CanonicalSchema> schemas;   // parsed, same order
};

// A broken state Postal's history is known to produce, recognised and explained as a whole.
struct KnownDrift {
  std::string level;
  std::string schema_file;
  CanonicalSchema schema;
  std::string message;
};

struct SchemaHistory {
  std::string migrations_table;    // "schema_migrations" or "migrations", for messages
  std::vector<SchemaLevel> levels; // ascending
  std::vector<KnownDrift> drifts;
};

// From the embedded expected schemas; `known` is every migration of the role the catalog
// knows (any order, duplicates allowed), used to name the migrations of each level.
[[nodiscard]] SchemaHistory main_schema_history(const std::vector<NamedMigration>& known);
[[nodiscard]] SchemaHistory message_schema_history(const std::vector<NamedMigration>& known);

struct StructureCheck {
  std::string expected_level;    // empty when the recorded level has no expected schema
  std::string expected_schema;   // the healthy variant compared against (closest one)
  std::vector<Finding> findings; // drift
  std::vector<Finding> notes;    // information (is_information): never drift
};

[[nodiscard]] StructureCheck check_structure(std::string_view live_canonical,
                                             std::string_view recorded_level,
                                             const SchemaHistory& history,
                                             const LiveDefaults& defaults = {});

enum class SchemaStatus { healthy, migrations_pending, drift };

struct DatabaseCheck {
  std::string name;
  std::string role; // "main" or "message"
  std::string recorded_level;
  StructureCheck structure;
  std::vector<std::string> pending; // migrations of the target release not recorded
};

// Release migrations the database has not recorded, in release order.
[[nodiscard]] std::vector<std::string> pending_migrations(const std::vector<std::string>& recorded,
                                                          const std::vector<std::string>& release);

// Fills check.pending with the release's migrations the database lacks; a recorded level
// beyond the release's level is drift (a newer database under older code).
void check_against_release(DatabaseCheck& check,
                           const std::vector<std::string>& recorded,
                           const std::vector<std::string>& release_migrations,
                           std::string_view release_level,
                           std::string_view release_version);

// drift when any database has a finding, else migrations_pending when any has pending ones.
[[nodiscard]] SchemaStatus schema_status(const std::vector<DatabaseCheck>& databases);
[[nodiscard]] std::string_view to_string(SchemaStatus status);
[[nodiscard]] int exit_code(SchemaStatus status); // 0, 3, 4

} // namespace pbk::postal
