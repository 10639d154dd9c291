// SPDX-License-Identifier: MIT
#include "core/db/connection.hpp"

#include "core/db/db_error.hpp"
#include "core/db/last_error.hpp"

#include <mysql.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>

namespace pbk::core::db {

namespace detail {
void close_connection(st_mysql* mysql) noexcept {
  mysql_close(mysql);
}
} // namespace detail

namespace {

// Big raw-message rows must pass whole; the server's own max_allowed_packet is the real limit.
constexpr unsigned long k_max_allowed_packet = 1UL << 30;
constexpr std::size_t k_sql_in_message = 120;

const char* or_null(const std::string& value) {
  return value.empty() ? nullptr : value.c_str();
}

void set_option(MYSQL* mysql, mysql_option option, const void* value, const char* name) {
  if (mysql_options(mysql, option, value) != 0) {
    throw DbError(std::string("cannot set MariaDB client option ") + name, 0, "HY000");
  }
}

void apply_options(MYSQL* mysql, const ConnectionOptions& options) {
  const unsigned timeout = options.connect_timeout;
  set_option(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout, "connect timeout");
  set_option(mysql, MYSQL_SET_CHARSET_NAME, options.charset.c_str(), "character set");
  const my_bool reconnect = 0;
  set_option(mysql, MYSQL_OPT_RECONNECT, &reconnect, "reconnect");
  set_option(mysql, MYSQL_OPT_MAX_ALLOWED_PACKET, &k_max_allowed_packet, "max_allowed_packet");
  // Connector/C reads option files only when one of these is set, so leaving them unset
  // keeps a stray ~/.my.cnf from changing what a backup connects to.
  if (!options.defaults_file.empty()) {
    set_option(mysql, MYSQL_READ_DEFAULT_FILE, options.defaults_file.c_str(), "defaults file");
    set_option(mysql, MYSQL_READ_DEFAULT_GROUP, "client", "defaults group");
  }
  if (options.local_infile) {
    const unsigned enable = 1;
    set_option(mysql, MYSQL_OPT_LOCAL_INFILE, &enable, "local infile");
  }
}

std::vector<std::string> connect_hints(unsigned code) {
  switch (code) {
  case k_access_denied:
  case k_access_denied_no_password:
    return {"check the password (--password-file, MYSQL_PWD or --defaults-file) and the user"};
  case 2002: // CR_CONNECTION_ERROR (socket)
  case 2003: // CR_CONN_HOST_ERROR (TCP)
  case 2005: // CR_UNKNOWN_HOST
  case 2013: // CR_SERVER_LOST during the handshake
    return {"is the server running? check --host/--port/--socket"};
  default:
    return {};
  }
}

// The state the LOAD DATA LOCAL callbacks share. Exceptions must not unwind through the C
// library, so the read callback parks them here and reports an error code instead.
struct InfileFeed {
  io::ByteSource& data;
  std::exception_ptr error;
};

int infile_init(void** state, const char* /*file name*/, void* userdata) {
  *state = userdata;
  return 0;
}

int infile_read(void* state, char* buffer, unsigned int length) {
  auto* feed = static_cast<InfileFeed*>(state);
  try {
    const std::size_t size = std::min<std::size_t>(length, INT_MAX);
    return static_cast<int>(feed->data.read(std::as_writable_bytes(std::span(buffer, size))));
  } catch (...) {
    feed->error = std::current_exception();
    return -1;
  }
}

void infile_end(void* /*state*/) {}

int infile_error(void* /*state*/, char* buffer, unsigned int length) {
  // Only seen if the parked exception were lost; load_data_local rethrows it instead.
  constexpr std::string_view k_message = "reading the LOAD DATA LOCAL input failed";
  const std::size_t n = std::min<std::size_t>(k_message.size(), length > 0 ? length - 1 : 0);
  std::memcpy(buffer, k_message.data(), n);
  buffer[n] = '\0';
  return 2000; // CR_UNKNOWN_ERROR
}

// Puts the client library's file-reading handler back, whatever way the statement ends.
class DefaultInfileHandler {
public:
  explicit DefaultInfileHandler(MYSQL* mysql)
      : m_mysql(mysql) {}

  ~DefaultInfileHandler() { mysql_set_local_infile_default(m_mysql); }

  DefaultInfileHandler(const DefaultInfileHandler&) = delete;
  DefaultInfileHandler& operator=(const DefaultInfileHandler&) = delete;

private:
  MYSQL* m_mysql;
};

} // namespace

Connection::Connection(Handle mysql, ConnectionOptions options)
    : m_mysql(std::move(mysql)),
      m_options(std::move(options)) {}

Connection Connection::connect(const ConnectionOptions& options) {
  Handle mysql(mysql_init(nullptr));
  if (!mysql) {
    throw DbError("cannot connect to " + options.role + ": out of memory", 2008, "HY000");
  }
  apply_options(mysql.get(), options);
  const char* password = options.password ? options.password->c_str() : nullptr;
  if (mysql_real_connect(mysql.get(),
                         or_null(options.host),
                         or_null(options.user),
                         password,
                         nullptr,
                         options.port,
                         or_null(options.socket),
                         0)
      == nullptr) {
    const unsigned code = ::mysql_errno(mysql.get());
    auto hints = connect_hints(code);
    if (code == 2002 || code == 2003 || code == 2005) {
      hints.insert(hints.end(), options.unreachable_hints.begin(), options.unreachable_hints.end());
    }
    throw last_error(
        mysql.get(), "cannot connect to " + options.role + " at " + options.describe(), hints);
  }
  return Connection(std::move(mysql), options);
}

std::string Connection::where(std::string_view sql) const {
  std::string text(sql.substr(0, k_sql_in_message));
  if (sql.size() > k_sql_in_message) {
    text += "...";
  }
  return m_options.role + " at " + m_options.describe() + ": " + text;
}

void Connection::run(std::string_view sql) {
  if (mysql_real_query(m_mysql.get(), sql.data(), sql.size()) != 0) {
    throw last_error(m_mysql.get(), where(sql));
  }
}

void Connection::execute(std::string_view sql) {
  run(sql);
  // Drain every result (a CALL may return several) so the connection is ready for the next.
  MYSQL* mysql = m_mysql.get();
  for (;;) {
    ResultHandle result(mysql_store_result(mysql));
    if (!result && mysql_field_count(mysql) != 0) {
      throw last_error(mysql, where(sql));
    }
    const int more = mysql_next_result(mysql);
    if (more > 0) {
      throw last_error(mysql, where(sql));
    }
    if (more < 0) {
      return;
    }
  }
}

Result Connection::query(std::string_view sql) {
  run(sql);
  ResultHandle result(mysql_store_result(m_mysql.get()));
  if (!result && mysql_field_count(m_mysql.get()) != 0) {
    throw last_error(m_mysql.get(), where(sql));
  }
  return Result(std::move(result));
}

RowStream Connection::stream(std::string_view sql) {
  run(sql);
  ResultHandle result(mysql_use_result(m_mysql.get()));
  if (!result && mysql_field_count(m_mysql.get()) != 0) {
    throw last_error(m_mysql.get(), where(sql));
  }
  return RowStream(m_mysql.get(), std::move(result), "reading rows from " + where(sql));
}

std::optional<std::string> Connection::query_value(std::string_view sql) {
  const auto rows = query(sql).rows();
  if (rows.empty() || rows.front().empty()) {
    return std::nullopt;
  }
  return rows.front().front();
}

std::uint64_t Connection::load_data_local(std::string_view sql, io::ByteSource& data) {
  if (!m_options.local_infile) {
    throw DbError(where(sql) + ": the connection was made without local_infile", 0, "HY000");
  }
  MYSQL* mysql = m_mysql.get();
  InfileFeed feed{data, nullptr};
  mysql_set_local_infile_handler(mysql, infile_init, infile_read, infile_end, infile_error, &feed);
  const DefaultInfileHandler restore_default(mysql);
  const int failed = mysql_real_query(mysql, sql.data(), sql.size());
  if (feed.error) {
    std::rethrow_exception(feed.error);
  }
  if (failed != 0) {
    throw last_error(mysql, where(sql));
  }
  return mysql_affected_rows(mysql);
}

bool Connection::supports_bulk_insert() {
  unsigned long extended = 0;
  if (mariadb_get_infov(m_mysql.get(), MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended)
      != 0) {
    return false;
  }
  return (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}

unsigned Connection::warning_count() {
  return mysql_warning_count(m_mysql.get());
}

std::vector<std::string> Connection::warnings(std::size_t limit) {
  std::vector<std::string> out;
  for (const auto& row : query("SHOW WARNINGS LIMIT " + std::to_string(limit)).rows()) {
    if (row.size() >= 3) {
      out.push_back(row[0].value_or("") + " " + row[1].value_or("") + ": " + row[2].value_or(""));
    }
  }
  return out;
}

std::string Connection::quote(std::string_view value) {
  std::string out(value.size() * 2 + 3, '\0');
  out[0] = '\'';
  const unsigned long written =
      mysql_real_escape_string(m_mysql.get(), out.data() + 1, value.data(), value.size());
  out[written + 1] = '\'';
  out.resize(written + 2);
  return out;
}

std::string Connection::quote_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '`';
  for (const char c : name) {
    out += c;
    if (c == '`') {
      out += '`';
    }
  }
  out += '`';
  return out;
}

std::string Connection::qualified_name(std::string_view database, std::string_view table) {
  return quote_identifier(database) + "." + quote_identifier(table);
}

std::string Connection::server_version() {
  return mysql_get_server_info(m_mysql.get());
}

bool Connection::is_mariadb() {
  return mariadb_connection(m_mysql.get()) != 0;
}

unsigned long Connection::thread_id() {
  return mysql_thread_id(m_mysql.get());
}

} // namespace pbk::core::db
