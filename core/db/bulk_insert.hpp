// SPDX-License-Identifier: MIT
// Rows sent to the server as arrays of parameters of one prepared INSERT (MariaDB's bulk
// execution): values travel as length-prefixed bytes, so the server parses no SQL text and no
// escapes per byte, which is most of its work for LOAD DATA of large values. Rows are copied
// into one arena and sent by flush(); each flush is one statement. Needs a MariaDB server
// (Connection::supports_bulk_insert) and, with binary logging, a row or mixed binlog format.
#pragma once

#include "core/c_handle.hpp"
#include "core/db/connection.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct st_mysql_stmt;

namespace pbk::core::db {

namespace detail {
void close_statement(st_mysql_stmt* statement) noexcept;
} // namespace detail

class BulkInsert {
public:
  // Values up to this size are sent whole by insert_one.
  static constexpr std::size_t k_piece_bytes = std::size_t{1} << 20;

  // Prepares `INSERT INTO <table> VALUES (?, …)` with `columns` parameters; `table` is
  // already quoted (`db`.`table`). Borrows `db`, which must outlive this object.
  BulkInsert(Connection& db, const std::string& table, std::size_t columns);

  // Copies one row into the pending batch. Throws Error when its field count is not the
  // table's.
  void add(std::span<const std::optional<std::string_view>> fields);

  [[nodiscard]] std::size_t pending_rows() const noexcept { return m_cells.size() / m_columns; }

  // Value bytes of the pending rows: the batch's size on the wire, give or take the lengths.
  [[nodiscard]] std::size_t pending_bytes() const noexcept { return m_arena.size(); }

  // Inserts one row at once, outside the batch (flush() first to keep the order): values
  // larger than a piece go to the server in pieces straight from `fields`, so a row of many
  // megabytes is never copied whole into a request. Returns the rows inserted (1).
  std::uint64_t insert_one(std::span<const std::optional<std::string_view>> fields);

  // Sends the pending rows as one statement and returns the rows the server inserted; does
  // nothing for an empty batch. Throws DbError when the server refused it.
  std::uint64_t flush();

private:
  struct Cell {
    std::size_t offset;
    std::size_t length;
    bool null;
  };

  void check_width(std::span<const std::optional<std::string_view>> fields) const;
  void bind_columns(std::size_t rows);
  void send_in_pieces(unsigned parameter, std::string_view value);

  Connection& m_db;
  std::string m_table;
  std::size_t m_columns;
  UniqueHandle<st_mysql_stmt, &detail::close_statement> m_statement;
  // A second statement for insert_one, prepared on first use: a statement's array size and
  // long data cannot be mixed between executions.
  UniqueHandle<st_mysql_stmt, &detail::close_statement> m_single;
  std::string m_arena;
  std::vector<Cell> m_cells;
  // Column-wise parameter arrays, rebuilt for every batch: value pointers, lengths, indicators.
  std::vector<std::vector<char*>> m_values;
  std::vector<std::vector<unsigned long>> m_lengths;
  std::vector<std::vector<char>> m_indicators;
};

} // namespace pbk::core::db
