// SPDX-License-Identifier: MIT
// A restore runs only statements it built (DESIGN): an archive's schema.sql is checked to be the
// plain CREATE TABLE that SHOW CREATE TABLE printed for that very table, so a crafted archive
// cannot run other SQL, write files (DATA/INDEX DIRECTORY), reach other servers (CONNECTION) or
// other databases. Executable comments (/*! */, /*M! */) are refused everywhere, which also
// refuses MySQL's /*!50100 PARTITION BY */: Postal partitions no table.
#pragma once

#include <string>
#include <string_view>

namespace pbk::restore {

struct CreateTableOptions {
  // Postal 3.x targets: its migrations fail on COMPACT tables, so InnoDB tables become DYNAMIC.
  bool force_dynamic_row_format = false;
};

struct CheckedCreateTable {
  // The statement to run with the staging database selected, without the trailing ';'. Its
  // boundaries do not depend on sql_mode (no \' or \" escapes are accepted), but the string
  // values inside it mean what SHOW CREATE TABLE meant only without NO_BACKSLASH_ESCAPES.
  std::string sql;
  // The statement differs from the archive's: ROW_FORMAT=DYNAMIC replaced COMPACT or REDUNDANT,
  // or was added to an InnoDB table that named no row format.
  bool row_format_changed = false;
  // "COMPACT" or "REDUNDANT" when one was replaced; empty when none was named.
  std::string previous_row_format;
};

// `sql` is the schema.sql member (SHOW CREATE TABLE output plus ";\n"), `table` the name the
// archive files it under. Throws core::IntegrityError("<label>: schema of <table> is not a
// plain CREATE TABLE: <why>") for anything else.
[[nodiscard]] CheckedCreateTable checked_create_table(std::string_view sql,
                                                      std::string_view table,
                                                      const CreateTableOptions& options,
                                                      const std::string& label);

} // namespace pbk::restore
