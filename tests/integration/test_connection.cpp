// SPDX-License-Identifier: MIT
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/io/byte_sink.hpp"
#include "core/rowcodec/row_encoder.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

using pbk::core::db::Connection;
using pbk::core::db::DbError;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;
using namespace std::string_literals;

namespace {

using Row = std::vector<std::optional<std::string>>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Writes what the encoder produces to a file, the way a restore stages a LOAD DATA input.
class FileSink : public pbk::core::io::ByteSink {
public:
  using ByteSink::write;

  explicit FileSink(const std::filesystem::path& path)
      : m_out(path, std::ios::binary | std::ios::trunc) {}

  void write(std::span<const std::byte> data) override {
    m_out.write(reinterpret_cast<const char*>(data.data()),
                static_cast<std::streamsize>(data.size()));
  }

  void finish() override {
    m_out.close();
    BOOST_REQUIRE(!m_out.fail());
  }

private:
  std::ofstream m_out;
};

// Removes the file on scope exit so a failed assertion leaves nothing behind.
struct TempFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("pbk_load_" + std::to_string(getpid()) + ".tsv");

  ~TempFile() { std::filesystem::remove(path); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(ConnectionTest, *boost::unit_test::precondition(pbk::test::require_server))

// A user could not back up anything if connecting with valid credentials failed.
BOOST_AUTO_TEST_CASE(connects_and_reports_server) {
  auto db = Connection::connect(test_server().root_options());
  BOOST_TEST(db.is_mariadb());
  BOOST_TEST(contains(db.server_version(), "MariaDB"));
  BOOST_TEST(db.thread_id() > 0U);
  BOOST_TEST((db.query_value("SELECT 1 + 1") == std::optional<std::string>("2")));
  BOOST_TEST(!db.query_value("SELECT NULL").has_value());
  BOOST_TEST(!db.query_value("SELECT 1 FROM DUAL WHERE 0").has_value());
  BOOST_TEST(
      (db.query_value("SELECT @@character_set_client") == std::optional<std::string>("binary")));
  BOOST_TEST(db.options().role == "test server");
}

// A user whose credentials live in a my.cnf (--defaults-file) could not connect otherwise.
BOOST_AUTO_TEST_CASE(reads_client_group_of_defaults_file) {
  TempFile file;
  std::ofstream(file.path) << "[mysqld]\nsocket=/nonexistent\n[client]\nsocket="
                           << test_server().socket << "\nuser=" << test_server().user << "\n";
  pbk::core::db::ConnectionOptions options;
  options.defaults_file = file.path.string();
  auto db = Connection::connect(options);
  BOOST_TEST(
      (db.query_value("SELECT CURRENT_USER()") == std::optional<std::string>("root@localhost")));
}

// A user with a wrong password would not know what to fix without errno and hint.
BOOST_AUTO_TEST_CASE(wrong_password_is_access_denied_with_hint) {
  auto options = test_server().root_options();
  options.role = "main_db";
  options.password = "definitely-wrong";
  try {
    (void)Connection::connect(options);
    BOOST_FAIL("connected with a wrong password");
  } catch (const DbError& e) {
    const std::string message = e.what();
    BOOST_TEST_MESSAGE(message);
    BOOST_TEST(e.mysql_errno() == 1045U);
    BOOST_TEST(e.sqlstate() == "28000");
    BOOST_TEST(!e.retryable());
    BOOST_TEST(message.rfind("cannot connect to main_db at root@" + test_server().socket, 0) == 0);
    BOOST_TEST(contains(message, "Access denied"));
    BOOST_TEST(contains(message, "(1045)"));
    BOOST_REQUIRE(e.hints().size() == 1U);
    BOOST_TEST(contains(e.hints()[0], "--password-file, MYSQL_PWD or --defaults-file"));
  }
}

// A user pointing at the wrong socket or port must see which endpoint was tried.
BOOST_AUTO_TEST_CASE(unreachable_endpoint_is_named) {
  auto options = test_server().root_options();
  options.socket = (test_server().dir / "no-such.sock").string();
  try {
    (void)Connection::connect(options);
    BOOST_FAIL("connected to a missing socket");
  } catch (const DbError& e) {
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.mysql_errno() == 2002U);
    BOOST_TEST(contains(e.what(), "at root@" + options.socket + ": "));
    BOOST_REQUIRE(e.hints().size() == 1U);
    BOOST_TEST(contains(e.hints()[0], "--host/--port/--socket"));
  }
  options.socket.clear();
  options.host = "127.0.0.1";
  options.port = 1;
  options.connect_timeout = 2;
  BOOST_CHECK_EXCEPTION((void)Connection::connect(options), DbError, [](const DbError& e) {
    BOOST_TEST_MESSAGE(e.what());
    // Connector/C 3.3 reports a refused TCP connection as 2002, older ones as 2003.
    return (e.mysql_errno() == 2002U || e.mysql_errno() == 2003U)
           && contains(e.what(), "at root@127.0.0.1:1: ");
  });
}

// A user would lose NULLs, empty strings or binary bytes in metadata queries.
BOOST_AUTO_TEST_CASE(result_keeps_null_empty_and_binary) {
  auto db = Connection::connect(test_server().root_options());
  auto result = db.query("SELECT NULL AS n, '' AS e, X'00FF0A5C' AS b UNION ALL SELECT 1, 2, 3");
  BOOST_TEST(result.column_names() == (std::vector<std::string>{"n", "e", "b"}));
  BOOST_TEST(result.row_count() == 2U);
  const std::vector<Row> expected{{std::nullopt, ""s, "\0\xff\n\\"s}, {"1"s, "2"s, "3"s}};
  BOOST_TEST((result.rows() == expected));
  BOOST_TEST((result.rows() == expected)); // rows() can be read again
}

// A user would lose data if quoting broke binary values or odd identifiers.
BOOST_AUTO_TEST_CASE(quote_round_trips_binary_and_identifiers) {
  auto db = Connection::connect(test_server().root_options());
  const std::string value = "it's \"q\" \\ \0 \n \x1A \xff"s;
  BOOST_TEST((db.query_value("SELECT " + db.quote(value)) == std::optional<std::string>(value)));
  BOOST_TEST(Connection::quote_identifier("raw-2024`01") == "`raw-2024``01`");
  BOOST_CHECK_EXCEPTION(db.execute("SELEC 1"), DbError, [](const DbError& e) {
    return e.mysql_errno() == 1064U && contains(e.what(), "SELEC 1") && !e.retryable();
  });
}

// A user would lose raw e-mails larger than the default packet size in a streamed backup.
BOOST_AUTO_TEST_CASE(stream_returns_20_mib_blob_byte_identical) {
  ScratchDatabase scratch(test_server());
  auto db = scratch.connect();
  db.execute("CREATE TABLE raw (id INT PRIMARY KEY, data LONGBLOB)");
  const std::string blob = pbk::test::random_bytes(20 * 1024 * 1024, 42);
  db.execute("INSERT INTO raw VALUES (1, " + db.quote(blob) + "), (2, NULL), (3, '')");
  auto stream = db.stream("SELECT id, data FROM raw ORDER BY id");
  BOOST_TEST(stream.field_count() == 2U);
  BOOST_TEST(stream.column_names() == (std::vector<std::string>{"id", "data"}));
  const auto* row = stream.next();
  BOOST_REQUIRE(row != nullptr);
  BOOST_TEST(row->value(0) == "1");
  BOOST_TEST(row->value(1).size() == blob.size());
  BOOST_TEST((row->value(1) == blob));
  row = stream.next();
  BOOST_REQUIRE(row != nullptr);
  BOOST_TEST(row->is_null(1));
  row = stream.next();
  BOOST_REQUIRE(row != nullptr);
  BOOST_TEST(!row->is_null(1));
  BOOST_TEST(row->value(1).empty());
  BOOST_TEST(stream.next() == nullptr);
  BOOST_TEST(stream.next() == nullptr);
}

// A user would get a silently truncated backup if a broken stream looked like its end.
BOOST_AUTO_TEST_CASE(killed_stream_throws) {
  ScratchDatabase scratch(test_server()); // the sequence engine needs a current database
  auto db = scratch.connect();
  auto killer = Connection::connect(test_server().root_options());
  auto stream = db.stream("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_10000000");
  BOOST_REQUIRE(stream.next() != nullptr);
  killer.execute("KILL CONNECTION " + std::to_string(db.thread_id()));
  std::size_t rows = 1;
  try {
    while (stream.next() != nullptr) {
      ++rows;
    }
    BOOST_FAIL("the stream of a killed connection ended normally after " << rows << " rows");
  } catch (const DbError& e) {
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.mysql_errno() != 0U);
    BOOST_TEST(contains(e.what(), "reading rows from test server at root@"));
  }
  BOOST_TEST_MESSAGE("rows read before the error: " << rows);
  BOOST_TEST(rows < 10000000U);
}

// A user would restore altered rows if the TSV format and LOAD DATA disagreed on any byte.
BOOST_AUTO_TEST_CASE(load_data_reads_encoder_output_byte_for_byte) {
  ScratchDatabase scratch(test_server());
  auto options = test_server().root_options();
  options.local_infile = true;
  auto db = Connection::connect(options);
  db.execute("USE " + Connection::quote_identifier(scratch.name()));
  db.execute("CREATE TABLE t (id INT PRIMARY KEY, b LONGBLOB NULL, v VARBINARY(64) NULL, "
             "txt TEXT CHARACTER SET utf8mb4 NULL)");
  const std::vector<Row> rows{
      {"1"s, std::nullopt, ""s, std::nullopt},
      {"2"s, "a\0b\0"s, "\t\n\r"s, "tab\there\nnewline"s},
      {"3"s, "\\"s, "ends with backslash\\"s, "\\N"s},
      {"4"s, "\x1A\\0\\n"s, "N"s, "mail \xF0\x9F\x93\xAC \xC3\xA9"s},
      {"5"s, pbk::test::random_bytes(1024 * 1024, 7), "\xff\xfe\x80"s, ""s},
      {"6"s, "\r\n\\\t"s, std::nullopt, "\\\\"s},
  };
  TempFile file;
  FileSink sink(file.path);
  pbk::core::rowcodec::RowEncoder encoder(sink);
  for (const auto& row : rows) {
    std::vector<std::optional<std::string_view>> fields(row.begin(), row.end());
    encoder.encode(fields);
  }
  encoder.flush();
  sink.finish();
  db.execute("LOAD DATA LOCAL INFILE " + db.quote(file.path.string())
             + " INTO TABLE t CHARACTER SET binary");
  BOOST_TEST((db.query_value("SHOW COUNT(*) WARNINGS") == std::optional<std::string>("0")));
  const auto loaded = db.query("SELECT id, b, v, txt FROM t ORDER BY id").rows();
  BOOST_REQUIRE(loaded.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST_CONTEXT("row " << i + 1) {
      BOOST_TEST((loaded[i] == rows[i]));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
