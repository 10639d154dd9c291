// SPDX-License-Identifier: MIT
// The canonical schema text (docs/format.md "Schema hash") read back into tables, columns and
// indexes, and the structural difference of two of them. Fields keep their canonical
// (escaped) spelling: they are compared and shown, never executed. Postal's per-day raw
// tables (the "raw-*" block) are left out of every comparison: a message database may hold
// any number of them, including none.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pbk::postal {

struct CanonicalColumn {
  std::string name;
  std::string type;
  bool nullable = true;
  std::string default_value; // "\N" when there is none
  std::string extra;
  std::string charset; // "\N" for non-character columns
  std::string collation;
};

struct CanonicalIndex {
  std::string name;
  bool unique = false;
  std::string type;
  std::vector<std::pair<std::string, std::string>> parts; // column, prefix length or "\N"

  // "unique BTREE (token_hash(8), host)", for messages.
  [[nodiscard]] std::string describe() const;
};

struct CanonicalTable {
  std::string name;
  std::string engine;
  std::string collation;
  std::map<std::string, CanonicalColumn> columns;
  std::map<std::string, CanonicalIndex> indexes;
  // Set on an expected table that Postal creates without naming a charset: a database migrated
  // into its level has it (and its character columns) in the database's default charset and
  // collation, whatever `collation` (db/schema.rb's choice) says.
  bool takes_database_default = false;
};

struct CanonicalSchema {
  std::map<std::string, CanonicalTable> tables;
};

// Throws core::IntegrityError naming the line when `text` is not canonical text of version 1.
[[nodiscard]] CanonicalSchema parse_canonical(std::string_view text);

enum class FindingKind {
  missing_table,
  extra_table,
  missing_column,
  extra_column,
  type_mismatch,
  nullability_mismatch,
  default_mismatch,
  extra_mismatch,   // COLUMNS.EXTRA, e.g. auto_increment
  charset_mismatch, // column charset or collation, or table collation
  engine_mismatch,
  missing_index,
  extra_index,
  index_mismatch,
  known_drift,   // a recognised broken state, explained as a whole
  unknown_level, // no expected schema for the recorded level
  newer_than_release,
  // Information, not drift: what Postal's DDL leaves to server or database defaults.
  collation_difference, // another collation of the expected charset
  precision_difference, // datetime/timestamp/time with another fractional-second precision
};

[[nodiscard]] std::string_view to_string(FindingKind kind);

// True for the kinds that describe a healthy install made under other defaults: they are
// reported, but never make a database drifted (schema check exit 4, finish exit 3).
[[nodiscard]] bool is_information(FindingKind kind);

struct Finding {
  FindingKind kind = FindingKind::missing_table;
  std::string table;
  std::string column;
  std::string index;
  std::string migration; // the migration that explains the finding, when one does
  std::string message;   // one line a user can act on
};

// Live collation → the expected schemas' equivalent. Postal's tables name only their charset, so
// their collation is the server's default for it: utf8mb4_general_ci on the MariaDB the
// expected schemas were generated on, utf8mb4_0900_ai_ci on MySQL 8, for example.
using CollationAliases = std::map<std::string, std::string>;

// The aliases for a server whose default collation of each charset is `live_defaults`
// (charset → collation, as information_schema.CHARACTER_SETS reports them).
[[nodiscard]] CollationAliases
default_collation_aliases(const std::map<std::string, std::string>& live_defaults);

// The defaults a live database's tables were created under: what a table that names a charset
// only gets (aliases), and what one that names none gets (the database's default).
struct LiveDefaults {
  CollationAliases aliases;
  std::string database_collation; // e.g. "utf8mb4_unicode_ci"; empty when unknown
};

// The character set a collation belongs to: "utf8mb4_unicode_ci" → "utf8mb4".
[[nodiscard]] std::string charset_of_collation(std::string_view collation);

// What `live` lacks or has beyond `expected`, in table order; raw-* is skipped on both sides.
// Drift and information (is_information) findings alike; docs/operations.md "Schema check"
// lists the rules.
[[nodiscard]] std::vector<Finding> compare_schemas(const CanonicalSchema& live,
                                                   const CanonicalSchema& expected,
                                                   const LiveDefaults& defaults = {});

} // namespace pbk::postal
