// SPDX-License-Identifier: MIT
// One session with a MariaDB/MySQL server. Connections never reconnect on their own: a silent
// reconnect would drop the transaction (and with it the backup's consistent snapshot), so a
// lost connection surfaces as a DbError and the caller decides. Not thread-safe; one thread
// uses a connection at a time, and while a RowStream is open it runs nothing else.
#pragma once

#include "core/c_handle.hpp"
#include "core/db/connection_options.hpp"
#include "core/db/result.hpp"

#include <optional>
#include <string>
#include <string_view>

struct st_mysql;

namespace pbk::core::db {

namespace detail {
void close_connection(st_mysql* mysql) noexcept;
} // namespace detail

class Connection {
public:
  // Throws DbError: "cannot connect to main_db at root@127.0.0.1:3306: <reason> (<errno>)".
  [[nodiscard]] static Connection connect(const ConnectionOptions& options);

  // Runs a statement and discards any result it returns.
  void execute(std::string_view sql);

  [[nodiscard]] Result query(std::string_view sql);

  // Streams the rows of a SELECT; the Connection must outlive the returned stream.
  [[nodiscard]] RowStream stream(std::string_view sql);

  // First column of the first row; nullopt for no row or NULL.
  [[nodiscard]] std::optional<std::string> query_value(std::string_view sql);

  // A quoted SQL string literal ('...') escaped for this connection's character set.
  [[nodiscard]] std::string quote(std::string_view value);

  // A quoted identifier (`...`), backticks doubled.
  [[nodiscard]] static std::string quote_identifier(std::string_view name);

  [[nodiscard]] std::string server_version();
  [[nodiscard]] bool is_mariadb();
  [[nodiscard]] unsigned long thread_id();

  [[nodiscard]] const ConnectionOptions& options() const noexcept { return m_options; }

private:
  using Handle = UniqueHandle<st_mysql, &detail::close_connection>;

  Connection(Handle mysql, ConnectionOptions options);
  void run(std::string_view sql);
  [[nodiscard]] std::string where(std::string_view sql) const;

  Handle m_mysql;
  ConnectionOptions m_options;
};

} // namespace pbk::core::db
