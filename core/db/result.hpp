// SPDX-License-Identifier: MIT
// Query results. Result holds a whole result set in client memory (mysql_store_result) and
// is for small answers: metadata, table lists, counters. RowStream reads rows one at a time
// as the server sends them (mysql_use_result), so memory stays bounded whatever the table
// size; it borrows its Connection, which must outlive it and run nothing else meanwhile.
#pragma once

#include "core/c_handle.hpp"
#include "core/db/row_view.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct st_mysql;
struct st_mysql_res;

namespace pbk::core::db {

namespace detail {
void free_result(st_mysql_res* result) noexcept;
} // namespace detail

using ResultHandle = UniqueHandle<st_mysql_res, &detail::free_result>;

class Result {
public:
  explicit Result(ResultHandle result); // null for statements without a result set

  [[nodiscard]] const std::vector<std::string>& column_names() const noexcept { return m_columns; }

  [[nodiscard]] std::uint64_t row_count() const noexcept;

  // Every row, NULL as nullopt; values are binary-safe copies.
  [[nodiscard]] std::vector<std::vector<std::optional<std::string>>> rows() const;

private:
  ResultHandle m_result;
  std::vector<std::string> m_columns;
};

class RowStream {
public:
  // `label` names the connection and statement in errors.
  RowStream(st_mysql* connection, ResultHandle result, std::string label);
  RowStream(RowStream&&) noexcept = default;
  RowStream& operator=(RowStream&&) noexcept = default;
  // A stream given up before its end cancels the connection: freeing a streamed result would
  // otherwise read every remaining row first, so a failed or interrupted backup of a large
  // table would take as long as finishing it. The connection is unusable afterwards.
  ~RowStream();

  // The next row, valid until the following call; nullptr at the end of the result.
  // Throws DbError when the stream broke (lost connection, killed query, timeout).
  [[nodiscard]] const RowView* next();

  [[nodiscard]] std::size_t field_count() const noexcept { return m_columns.size(); }

  [[nodiscard]] const std::vector<std::string>& column_names() const noexcept { return m_columns; }

private:
  st_mysql* m_connection;
  ResultHandle m_result;
  std::vector<std::string> m_columns;
  std::string m_label;
  RowView m_row;
  bool m_done = false;
};

} // namespace pbk::core::db
