// SPDX-License-Identifier: MIT
// A restore never sends SQL text taken from an archive (DESIGN): an archive's schema.sql is
// parsed into a TableDefinition (table_definition.hpp), which refuses everything but a plain
// InnoDB table of Postal's kind, and the CREATE TABLE is built from that structure with names
// quoted and literals escaped here. Needs no server, so `verify` runs the same check.
#pragma once

#include "archive/table_definition.hpp"

#include <string>
#include <string_view>

namespace pbk::archive {

struct CreateTableOptions {
  // Postal 3.x targets: its migrations fail on COMPACT tables, so the tables the archive
  // declares COMPACT or REDUNDANT become DYNAMIC (a table naming no row format gets the
  // server's default, which preflight requires to be DYNAMIC for these targets).
  bool force_dynamic_row_format = false;
};

struct CheckedCreateTable {
  // The statement to run with the staging database selected, without a trailing ';', built
  // from `definition`. Its meaning does not depend on the session's sql_mode.
  std::string sql;
  TableDefinition definition; // after the row format change
  // ROW_FORMAT=DYNAMIC replaced the archive's COMPACT or REDUNDANT.
  bool row_format_changed = false;
  // "COMPACT" or "REDUNDANT" when one was replaced; empty otherwise.
  std::string previous_row_format;
};

// `sql` is the schema.sql member (SHOW CREATE TABLE output plus ";\n"), `table` the name the
// archive files it under. Throws core::IntegrityError("<label>: schema of <table> is refused:
// <why>") for anything parse_table_definition refuses.
[[nodiscard]] CheckedCreateTable checked_create_table(std::string_view sql,
                                                      std::string_view table,
                                                      const CreateTableOptions& options,
                                                      const std::string& label);

// The CREATE TABLE statement for `definition`, in the layout SHOW CREATE TABLE uses. Throws
// DefinitionRefused for a name or literal it cannot write safely.
[[nodiscard]] std::string create_table_sql(const TableDefinition& definition);

} // namespace pbk::archive
