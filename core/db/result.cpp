// SPDX-License-Identifier: MIT
#include "core/db/result.hpp"

#include "core/db/last_error.hpp"

#include <mysql.h>

namespace pbk::core::db {

namespace detail {
void free_result(st_mysql_res* result) noexcept {
  // On a streamed result this also reads and discards the rows the server has still to send,
  // which keeps the connection usable afterwards.
  mysql_free_result(result);
}
} // namespace detail

namespace {

std::vector<std::string> column_names_of(MYSQL_RES* result) {
  std::vector<std::string> names;
  if (result == nullptr) {
    return names;
  }
  const unsigned count = mysql_num_fields(result);
  const MYSQL_FIELD* fields = mysql_fetch_fields(result);
  names.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    names.emplace_back(fields[i].name, fields[i].name_length);
  }
  return names;
}

} // namespace

Result::Result(ResultHandle result)
    : m_result(std::move(result)),
      m_columns(column_names_of(m_result.get())) {}

std::uint64_t Result::row_count() const noexcept {
  return m_result ? mysql_num_rows(m_result.get()) : 0;
}

std::vector<std::vector<std::optional<std::string>>> Result::rows() const {
  std::vector<std::vector<std::optional<std::string>>> rows;
  if (!m_result) {
    return rows;
  }
  MYSQL_RES* result = m_result.get();
  mysql_data_seek(result, 0);
  rows.reserve(mysql_num_rows(result));
  const std::size_t width = m_columns.size();
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const RowView view(row, mysql_fetch_lengths(result), width);
    auto& out = rows.emplace_back();
    out.reserve(width);
    for (std::size_t i = 0; i < width; ++i) {
      if (view.is_null(i)) {
        out.emplace_back(std::nullopt);
      } else {
        out.emplace_back(std::string(view.value(i)));
      }
    }
  }
  return rows;
}

RowStream::RowStream(st_mysql* connection, ResultHandle result, std::string label)
    : m_connection(connection),
      m_result(std::move(result)),
      m_columns(column_names_of(m_result.get())),
      m_label(std::move(label)) {}

RowStream::~RowStream() {
  if (m_result && !m_done) {
    mariadb_cancel(m_connection); // its failure leaves the slow drain as the fallback
  }
}

const RowView* RowStream::next() {
  if (m_done || !m_result) {
    return nullptr;
  }
  MYSQL_RES* result = m_result.get();
  MYSQL_ROW row = mysql_fetch_row(result);
  if (row == nullptr) {
    // A streamed result ends the same way whether it is complete or broken: only the
    // connection's error number tells them apart.
    m_done = true;
    if (::mysql_errno(m_connection) != 0) {
      throw last_error(m_connection, m_label);
    }
    return nullptr;
  }
  m_row = RowView(row, mysql_fetch_lengths(result), m_columns.size());
  return &m_row;
}

} // namespace pbk::core::db
