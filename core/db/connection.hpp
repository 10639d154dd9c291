// SPDX-License-Identifier: MIT
// One session with a MariaDB/MySQL server. Connections never reconnect on their own: a silent
// reconnect would drop the transaction (and with it the backup's consistent snapshot), so a
// lost connection surfaces as a DbError and the caller decides. Not thread-safe; one thread
// uses a connection at a time, and while a RowStream is open it runs nothing else.
#pragma once

#include "core/c_handle.hpp"
#include "core/db/connection_options.hpp"
#include "core/db/result.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

  // Runs a `LOAD DATA LOCAL INFILE` statement whose file content is read from `data` (the file
  // name in `sql` is ignored); returns the affected rows. Needs a connection made with
  // ConnectionOptions::local_infile (else DbError). An exception thrown by `data` is rethrown
  // as it was once the statement has ended. The connection stays usable, but the server took
  // the failure for the end of the file: the rows sent before it, even a cut last row, are
  // loaded, so the caller must drop the table or roll back.
  std::uint64_t load_data_local(std::string_view sql, io::ByteSource& data);

  // The number of warnings the last statement raised, as the server reported it with the
  // statement's result.
  [[nodiscard]] unsigned warning_count();
  // The first `limit` entries of SHOW WARNINGS as "Level Code: Message". Statements that use
  // no table (SELECT 1) leave the list of the statement before, so read it only when
  // warning_count() is not 0.
  [[nodiscard]] std::vector<std::string> warnings(std::size_t limit = 3);

  // A quoted SQL string literal ('...') escaped for this connection's character set.
  [[nodiscard]] std::string quote(std::string_view value);

  // A quoted identifier (`...`), backticks doubled.
  [[nodiscard]] static std::string quote_identifier(std::string_view name);
  // `database`.`table`, each quoted.
  [[nodiscard]] static std::string qualified_name(std::string_view database,
                                                  std::string_view table);

  [[nodiscard]] std::string server_version();
  [[nodiscard]] bool is_mariadb();
  [[nodiscard]] unsigned long thread_id();
  // Whether the server takes arrays of parameters in one prepared statement (BulkInsert):
  // MariaDB 10.2 and later do, MySQL does not.
  [[nodiscard]] bool supports_bulk_insert();

  [[nodiscard]] const ConnectionOptions& options() const noexcept { return m_options; }

private:
  friend class BulkInsert;
  using Handle = UniqueHandle<st_mysql, &detail::close_connection>;

  Connection(Handle mysql, ConnectionOptions options);
  void run(std::string_view sql);
  [[nodiscard]] std::string where(std::string_view sql) const;

  Handle m_mysql;
  ConnectionOptions m_options;
};

} // namespace pbk::core::db
