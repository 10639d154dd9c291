// SPDX-License-Identifier: MIT
// RowLoader puts the rows of one table member (decompressed TSV, as RowEncoder writes it) into
// a table on the target server: decoded here and sent as arrays of parameters of a prepared
// INSERT (bulk execution: the server parses no text, which was most of its work), through
// LOAD DATA LOCAL INFILE fed from the stream, or as batched INSERTs built here. Every way a
// restore must be byte-exact, so any server warning (a truncated, converted or skipped value) is an
// IntegrityError. The caller prepares the session first, as the TSV assumes it:
//   SET NAMES binary;
//   SET SESSION sql_mode='NO_AUTO_VALUE_ON_ZERO', time_zone='+00:00', foreign_key_checks=0,
//       unique_checks=0;
// (the connection is made with charset "binary" and, for LOAD DATA, local_infile = true).
#pragma once

#include "core/db/connection.hpp"
#include "core/io/byte_sink.hpp"
#include "core/rowcodec/row_decoder.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::restore {

enum class LoadMethod { bulk_insert, load_data_local, insert_batches };

// The methods one load uses, table by table. A raw-message table's rows (a few values, the
// mail up to megabytes of it) cost the server least as bulk executions, whose values arrive as
// length-prefixed bytes: LOAD DATA would parse every byte of the mail. Every other table's rows
// (dozens of short values, many indexes: Postal's messages) cost it least through LOAD DATA,
// about a quarter less server CPU than bulk executions (docs/performance.md).
struct LoadMethods {
  LoadMethod raw_tables = LoadMethod::insert_batches;
  LoadMethod other_tables = LoadMethod::insert_batches;

  [[nodiscard]] LoadMethod for_table(const std::string& table) const;

  [[nodiscard]] bool uses(LoadMethod method) const {
    return raw_tables == method || other_tables == method;
  }
};

// The fastest methods the server allows: for raw tables bulk_insert when it takes arrays of
// parameters and its binary log (if any) is not in statement format, else load_data_local when
// @@local_infile is ON, else insert_batches; for the other tables load_data_local first, then
// bulk_insert, then insert_batches. With `wanted`, that method for every table, or an Error
// (exit 5) saying why the server cannot take it.
[[nodiscard]] LoadMethods choose_load_methods(core::db::Connection& db,
                                              std::optional<LoadMethod> wanted = std::nullopt);

// "bulk", "load-data", "insert" (the --load-method values); nullopt for anything else.
[[nodiscard]] std::optional<LoadMethod> parse_load_method(std::string_view name);

// As reports name it: "bulk INSERT", "LOAD DATA LOCAL", "INSERT".
[[nodiscard]] std::string to_string(LoadMethod method);
// One method's name, or "bulk INSERT (raw tables), LOAD DATA LOCAL (other tables)".
[[nodiscard]] std::string to_string(const LoadMethods& methods);

class RowLoader {
public:
  // An INSERT is sent before the next row would take it past this size; a larger row goes
  // alone.
  static constexpr std::size_t k_batch_bytes = std::size_t{4} << 20;
  // A bulk execution is sent once its values reach this size. The client library copies a
  // batch into its request and network buffers, so each loader holds about three times it;
  // larger batches measured no faster.
  static constexpr std::size_t k_bulk_batch_bytes = std::size_t{1} << 20;

  // Borrows `db`, which must outlive the loader.
  RowLoader(core::db::Connection& db, LoadMethod method);

  // Loads all of `tsv` into `database`.`table` (columns in table order) and returns the rows
  // loaded. `label` names the member in errors. Every method decodes the TSV here first, so
  // malformed TSV, a row with another field count than the table's columns, or data beyond
  // `limits` is an IntegrityError before the server receives the row that breaks the rule
  // (LOAD DATA is fed only bytes already checked: the server never buffers more of a row than
  // limits.max_row_bytes). Throws IntegrityError when the server warned or refused the rows;
  // DbError when it refused a statement otherwise; whatever `tsv` throws. The member is one
  // transaction, rolled back after a failure (unless the connection broke), so one that lost
  // a deadlock or a lock wait (DbError::is_deadlock_or_lock_wait) can be loaded again.
  std::uint64_t load(const std::string& database,
                     const std::string& table,
                     core::io::ByteSource& tsv,
                     const std::string& label,
                     core::rowcodec::RowLimits limits = {});

private:
  // What every row of this load goes through: the caller's limits and the target's columns.
  struct Rows {
    std::string target; // `db`.`table`
    std::string name;   // db.table, for messages
    const std::string& label;
    core::rowcodec::RowLimits limits;
  };

  [[nodiscard]] std::size_t column_count(const std::string& database, const std::string& table);
  std::uint64_t load_in_transaction(const Rows& rows, core::io::ByteSource& tsv);
  std::uint64_t load_rows(const Rows& rows, core::io::ByteSource& tsv);
  std::uint64_t load_data(const Rows& rows, core::io::ByteSource& tsv);
  std::uint64_t bulk_insert(const Rows& rows, core::io::ByteSource& tsv);
  std::uint64_t insert_batches(const Rows& rows, core::io::ByteSource& tsv);
  void check_warnings(const std::string& label, const std::string& name);
  static void decode_all(core::io::ByteSource& tsv, core::rowcodec::RowDecoder& decoder);

  core::db::Connection& m_db;
  LoadMethod m_method;
};

} // namespace pbk::restore
