// SPDX-License-Identifier: MIT
// The arena holds values back to back; pointers into it are taken only when a batch is sent,
// because it may move while rows are added.
#include "core/db/bulk_insert.hpp"

#include "core/db/db_error.hpp"
#include "core/error.hpp"

#include <mysql.h>

#include <cstring>

namespace pbk::core::db {

namespace detail {
void close_statement(st_mysql_stmt* statement) noexcept {
  mysql_stmt_close(statement);
}
} // namespace detail

namespace {

DbError statement_error(MYSQL_STMT* statement, const std::string& what) {
  return DbError(what + ": " + mysql_stmt_error(statement) + " ("
                     + std::to_string(mysql_stmt_errno(statement)) + ")",
                 mysql_stmt_errno(statement),
                 mysql_stmt_sqlstate(statement));
}

std::string insert_statement(const std::string& table, std::size_t columns) {
  std::string sql = "INSERT INTO " + table + " VALUES (";
  for (std::size_t i = 0; i < columns; ++i) {
    sql += i == 0 ? "?" : ",?";
  }
  return sql + ")";
}

UniqueHandle<MYSQL_STMT, &detail::close_statement>
prepare_insert(MYSQL* mysql, const std::string& table, std::size_t columns) {
  UniqueHandle<MYSQL_STMT, &detail::close_statement> statement(mysql_stmt_init(mysql));
  if (!statement) {
    throw DbError("cannot prepare an INSERT into " + table + ": out of memory", 2008, "HY000");
  }
  const std::string sql = insert_statement(table, columns);
  // A table with another number of columns refuses it here (ER_WRONG_VALUE_COUNT_ON_ROW).
  if (mysql_stmt_prepare(statement.get(), sql.data(), sql.size()) != 0) {
    throw statement_error(statement.get(), "cannot prepare an INSERT into " + table);
  }
  return statement;
}

MYSQL_BIND bytes_parameter() {
  MYSQL_BIND bind;
  std::memset(&bind, 0, sizeof bind);
  // Every value goes as bytes: the connection's charset is binary, so the server stores
  // them unconverted in text columns and converts them as SQL text for the others.
  bind.buffer_type = MYSQL_TYPE_STRING;
  return bind;
}

} // namespace

BulkInsert::BulkInsert(Connection& db, const std::string& table, std::size_t columns)
    : m_db(db),
      m_table(table),
      m_columns(columns),
      m_statement(prepare_insert(db.m_mysql.get(), table, columns)),
      m_values(columns),
      m_lengths(columns),
      m_indicators(columns) {}

void BulkInsert::check_width(std::span<const std::optional<std::string_view>> fields) const {
  if (fields.size() != m_columns) {
    throw Error(ExitCode::integrity,
                "a row of " + std::to_string(fields.size()) + " values for " + m_table
                    + ", which has " + std::to_string(m_columns) + " columns");
  }
}

void BulkInsert::add(std::span<const std::optional<std::string_view>> fields) {
  check_width(fields);
  for (const auto& field : fields) {
    if (!field) {
      m_cells.push_back({m_arena.size(), 0, true});
      continue;
    }
    m_cells.push_back({m_arena.size(), field->size(), false});
    m_arena.append(*field);
  }
}

void BulkInsert::bind_columns(std::size_t rows) {
  std::vector<MYSQL_BIND> binds(m_columns);
  for (std::size_t column = 0; column < m_columns; ++column) {
    auto& values = m_values[column];
    auto& lengths = m_lengths[column];
    auto& indicators = m_indicators[column];
    values.resize(rows);
    lengths.resize(rows);
    indicators.resize(rows);
    for (std::size_t row = 0; row < rows; ++row) {
      const Cell& cell = m_cells[row * m_columns + column];
      values[row] = m_arena.data() + cell.offset;
      lengths[row] = static_cast<unsigned long>(cell.length);
      indicators[row] = static_cast<char>(cell.null ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE);
    }
    MYSQL_BIND& bind = binds[column];
    bind = bytes_parameter();
    bind.buffer = values.data();
    bind.length = lengths.data();
    bind.u.indicator = indicators.data();
  }
  unsigned int array_size = static_cast<unsigned int>(rows);
  if (mysql_stmt_attr_set(m_statement.get(), STMT_ATTR_ARRAY_SIZE, &array_size) != 0
      || mysql_stmt_bind_param(m_statement.get(), binds.data()) != 0) {
    throw statement_error(m_statement.get(), "cannot bind the rows for " + m_table);
  }
}

std::uint64_t BulkInsert::insert_one(std::span<const std::optional<std::string_view>> fields) {
  check_width(fields);
  if (!m_single) {
    m_single = prepare_insert(m_db.m_mysql.get(), m_table, m_columns);
  }
  std::vector<MYSQL_BIND> binds(m_columns, bytes_parameter());
  std::vector<my_bool> nulls(m_columns, 0);
  std::vector<unsigned long> lengths(m_columns, 0);
  for (std::size_t i = 0; i < m_columns; ++i) {
    nulls[i] = fields[i] ? 0 : 1;
    binds[i].is_null = &nulls[i];
    if (fields[i] && fields[i]->size() <= k_piece_bytes) {
      binds[i].buffer = const_cast<char*>(fields[i]->data());
      lengths[i] = static_cast<unsigned long>(fields[i]->size());
      binds[i].buffer_length = lengths[i];
      binds[i].length = &lengths[i];
    }
  }
  if (mysql_stmt_bind_param(m_single.get(), binds.data()) != 0) {
    throw statement_error(m_single.get(), "cannot bind a row for " + m_table);
  }
  for (std::size_t i = 0; i < m_columns; ++i) {
    if (fields[i] && fields[i]->size() > k_piece_bytes) {
      send_in_pieces(static_cast<unsigned>(i), *fields[i]);
    }
  }
  if (mysql_stmt_execute(m_single.get()) != 0) {
    throw statement_error(m_single.get(), "cannot insert a row into " + m_table);
  }
  return static_cast<std::uint64_t>(mysql_stmt_affected_rows(m_single.get()));
}

void BulkInsert::send_in_pieces(unsigned parameter, std::string_view value) {
  for (std::size_t offset = 0; offset < value.size(); offset += k_piece_bytes) {
    const auto piece = value.substr(offset, k_piece_bytes);
    if (mysql_stmt_send_long_data(m_single.get(), parameter, piece.data(), piece.size()) != 0) {
      throw statement_error(m_single.get(), "cannot send a large value for " + m_table);
    }
  }
}

std::uint64_t BulkInsert::flush() {
  const std::size_t rows = pending_rows();
  if (rows == 0) {
    return 0;
  }
  bind_columns(rows);
  if (mysql_stmt_execute(m_statement.get()) != 0) {
    throw statement_error(m_statement.get(),
                          "cannot insert " + std::to_string(rows) + " rows into " + m_table);
  }
  const auto inserted = static_cast<std::uint64_t>(mysql_stmt_affected_rows(m_statement.get()));
  m_arena.clear();
  m_cells.clear();
  return inserted;
}

} // namespace pbk::core::db
