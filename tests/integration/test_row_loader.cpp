// SPDX-License-Identifier: MIT
#include "core/compress/zstd_compress_sink.hpp"
#include "core/compress/zstd_decompress_source.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "core/io/counting_source.hpp"
#include "core/io/memory_sink.hpp"
#include "core/rowcodec/row_encoder.hpp"
#include "restore/row_loader.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
namespace io = pbk::core::io;
using pbk::core::IntegrityError;
using pbk::core::IoError;
using pbk::core::db::Connection;
using pbk::core::db::DbError;
using pbk::restore::LoadMethod;
using pbk::restore::RowLoader;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;
using namespace std::string_literals;

namespace {

using Row = std::vector<std::optional<std::string>>;

const std::vector<LoadMethod> k_methods{
    LoadMethod::bulk_insert, LoadMethod::load_data_local, LoadMethod::insert_batches};

std::string every_byte() {
  std::string out(256, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(i);
  }
  return out;
}

// The rows member as a backup stores it: TSV rows in one zstd frame.
std::vector<std::byte> rows_member(const std::vector<Row>& rows) {
  io::MemorySink stored;
  pbk::core::compress::ZstdCompressSink zstd(stored);
  pbk::core::rowcodec::RowEncoder encoder(zstd);
  for (const auto& row : rows) {
    const std::vector<std::optional<std::string_view>> fields(row.begin(), row.end());
    encoder.encode(fields);
  }
  encoder.flush();
  zstd.finish();
  return stored.data();
}

// A connection to a scratch database prepared the way a restore prepares its session.
struct Target {
  ScratchDatabase scratch{test_server()};
  Connection db = connect(scratch);

  static Connection connect(const ScratchDatabase& scratch) {
    auto options = test_server().root_options();
    options.local_infile = true;
    auto db = Connection::connect(options);
    db.execute("USE " + Connection::quote_identifier(scratch.name()));
    db.execute("SET NAMES binary");
    db.execute("SET SESSION sql_mode='NO_AUTO_VALUE_ON_ZERO', time_zone='+00:00', "
               "foreign_key_checks=0, unique_checks=0");
    return db;
  }

  // Loads `member` (compressed rows) into `table` the way restore pipes it; returns the rows.
  std::uint64_t
  load(LoadMethod method, const std::string& table, std::span<const std::byte> member) {
    pbk::test::MemorySource stored(member, 64 * 1024);
    pbk::core::compress::ZstdDecompressSource tsv(stored, "postal/" + table + ".0001");
    io::CountingSource counting(tsv);
    RowLoader loader(db, method);
    const auto rows = loader.load(scratch.name(), table, counting, "postal/" + table + ".0001");
    BOOST_TEST(counting.newlines() == rows);
    return rows;
  }
};

// Serves `valid` and then fails like a damaged disk under the archive.
class FailingSource : public io::ByteSource {
public:
  explicit FailingSource(std::string valid)
      : m_valid(std::move(valid)) {}

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override {
    if (m_pos == m_valid.size()) {
      throw IoError("cannot read /backups/x.tar: Input/output error", EIO);
    }
    const std::size_t n = std::min(buffer.size(), m_valid.size() - m_pos);
    std::memcpy(buffer.data(), m_valid.data() + m_pos, n);
    m_pos += n;
    return n;
  }

private:
  std::string m_valid;
  std::size_t m_pos = 0;
};

// Turns the server's local_infile off for a test and back on whatever happens.
class LocalInfileOff {
public:
  LocalInfileOff()
      : m_admin(Connection::connect(test_server().root_options())) {
    m_admin.execute("SET GLOBAL local_infile = 0");
  }

  ~LocalInfileOff() {
    try {
      m_admin.execute("SET GLOBAL local_infile = 1");
    } catch (const std::exception& e) {
      BOOST_ERROR("cannot turn local_infile back on: " << e.what());
    }
  }

  LocalInfileOff(const LocalInfileOff&) = delete;
  LocalInfileOff& operator=(const LocalInfileOff&) = delete;

private:
  Connection m_admin;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

namespace pbk::restore {
// For Boost.Test's names of data test cases.
std::ostream& operator<<(std::ostream& out, LoadMethod method) {
  return out << to_string(method);
}
} // namespace pbk::restore

BOOST_AUTO_TEST_SUITE(RowLoaderTest, *boost::unit_test::precondition(pbk::test::require_server))

// A user would get back altered mail (attachments, headers, bodies) if any byte changed on the
// way from the archive into the table.
BOOST_DATA_TEST_CASE(restores_every_byte_exactly, bdata::make(k_methods), method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, b LONGBLOB NULL, "
                    "txt TEXT CHARACTER SET utf8mb4 NULL, v VARBINARY(300) NULL)");
  std::string reversed = every_byte();
  std::reverse(reversed.begin(), reversed.end());
  const std::vector<Row> rows{
      {"0"s, every_byte(), "zero id kept"s, reversed}, // NO_AUTO_VALUE_ON_ZERO keeps 0
      {"1"s, std::nullopt, std::nullopt, std::nullopt},
      {"2"s, ""s, ""s, ""s},
      {"3"s, "\\N"s, "tab\there\nnewline\\backslash\x1A\r\n"s, "N"s},
      {"4"s, pbk::test::random_bytes(17 << 20, 4), "mail \xF0\x9F\x93\xAC \xC3\xA9"s, "\\"s},
      {"5"s, "'\"\\'"s, "ends with backslash\\"s, "\0"s},
  };
  BOOST_TEST(target.load(method, "t", rows_member(rows)) == rows.size());
  const auto loaded = target.db.query("SELECT id, b, txt, v FROM t ORDER BY id").rows();
  BOOST_REQUIRE(loaded.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST_CONTEXT("row " << i) {
      BOOST_TEST((loaded[i] == rows[i]));
    }
  }
}

// A user restoring a big table would lose rows if batching split or dropped any.
BOOST_DATA_TEST_CASE(many_rows_span_several_batches, bdata::make(k_methods), method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY, v BLOB NOT NULL)");
  target.db.execute("CREATE TABLE copy LIKE t");
  std::vector<Row> rows;
  for (int i = 0; i < 12000; ++i) {
    rows.push_back({std::to_string(i), pbk::test::random_bytes(1000, static_cast<unsigned>(i))});
  }
  BOOST_TEST(target.load(method, "t", rows_member(rows)) == rows.size());
  for (const auto& row : rows) {
    target.db.execute("INSERT INTO copy VALUES (" + *row[0] + "," + target.db.quote(*row[1]) + ")");
  }
  const auto checksums = target.db.query("CHECKSUM TABLE t, copy").rows();
  BOOST_REQUIRE(checksums.size() == 2U);
  BOOST_TEST(checksums[0][1].has_value());
  BOOST_TEST((checksums[0][1] == checksums[1][1]));
}

// A user could not restore a backup holding an empty table (a frame of no rows); a member
// of no bytes holds no frame at all, which only damage makes, and is refused.
BOOST_DATA_TEST_CASE(empty_member_loads_no_rows, bdata::make(k_methods), method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
  BOOST_TEST(target.load(method, "t", rows_member({})) == 0U);
  BOOST_CHECK_THROW((void)target.load(method, "t", {}), IntegrityError);
  BOOST_TEST((target.db.query_value("SELECT COUNT(*) FROM t") == "0"s));
}

// A user would get a restore that silently changed data (here 'abc' stored as 0) instead of an
// error naming the table.
BOOST_DATA_TEST_CASE(server_warning_is_an_integrity_error, bdata::make(k_methods), method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL)");
  const std::string expected = "postal/t.0001: the server changed data while loading "
                               + target.scratch.name() + ".t: Warning 1366: ";
  try {
    (void)target.load(method, "t", rows_member({{"1"s, "abc"s}}));
    BOOST_ERROR("no error");
  } catch (const IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).rfind(expected, 0) == 0U, e.what());
  }
}

// A user would see a generic server error (or a crash) instead of the real cause when reading
// the archive fails in the middle of a table, and could not go on using the connection.
BOOST_DATA_TEST_CASE(source_failure_surfaces_and_connection_stays_usable,
                     bdata::make(k_methods),
                     method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY, v BLOB)");
  std::string valid;
  for (int i = 0; i < 1000; ++i) {
    valid += std::to_string(i) + "\t" + std::string(2000, 'x') + "\n";
  }
  FailingSource failing(valid + "1000\tpart");
  RowLoader loader(target.db, method);
  try {
    (void)loader.load(target.scratch.name(), "t", failing, "postal/t.0001");
    BOOST_ERROR("no error");
  } catch (const IoError& e) {
    BOOST_TEST(e.what() == "cannot read /backups/x.tar: Input/output error"s);
    BOOST_TEST(e.err() == EIO);
  }
  BOOST_TEST((target.db.query_value("SELECT 1") == "1"s));
  // The member is one transaction: the rows sent before the failure (with LOAD DATA even the
  // cut last row, as the server took the end of the input as the end of the file) were rolled
  // back, so a member can be loaded again after a deadlock without being loaded twice.
  BOOST_TEST((target.db.query_value("SELECT COUNT(*) FROM t") == "0"s));
  BOOST_TEST(target.load(method, "t", rows_member({{"5000"s, "after"s}})) == 1U);
}

// A user whose server has local_infile=OFF could not restore at all without the INSERT fallback,
// and one asking for LOAD DATA there would not learn why it cannot be used.
BOOST_AUTO_TEST_CASE(local_infile_off_falls_back_to_inserts) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY, v BLOB)");
  BOOST_TEST((pbk::restore::choose_load_methods(target.db, LoadMethod::load_data_local).raw_tables
              == LoadMethod::load_data_local));
  const LocalInfileOff off;
  try {
    (void)pbk::restore::choose_load_methods(target.db, LoadMethod::load_data_local);
    BOOST_ERROR("no error");
  } catch (const pbk::core::Error& e) {
    BOOST_TEST((e.code() == pbk::core::ExitCode::refused));
    BOOST_TEST(contains(e.what(), "--load-method load-data: the server has local_infile=OFF"),
               e.what());
  }
  const auto member = rows_member({{"1"s, "a\tb"s}});
  try {
    (void)target.load(LoadMethod::load_data_local, "t", member);
    BOOST_ERROR("no error");
  } catch (const DbError& e) {
    // ER_NOT_ALLOWED_COMMAND (1148), or 4166 on servers that name the disabled capability.
    BOOST_TEST((e.mysql_errno() == 1148U || e.mysql_errno() == 4166U), e.what());
  }
  BOOST_TEST(target.load(LoadMethod::insert_batches, "t", member) == 1U);
  BOOST_TEST((target.db.query_value("SELECT v FROM t") == "a\tb"s));
}

// A user would wait longer for every restore if the fastest methods were not chosen on a
// MariaDB server (bulk execution for the raw mail, LOAD DATA for the narrow rows of the other
// tables), and one whose binary log is in STATEMENT format would see every restore fail (the
// server refuses bulk executions it cannot log).
BOOST_AUTO_TEST_CASE(bulk_insert_is_chosen_for_raw_tables_unless_statements_are_logged) {
  Target target;
  const auto chosen = pbk::restore::choose_load_methods(target.db);
  BOOST_TEST((chosen.for_table("raw-2024-03-01") == LoadMethod::bulk_insert));
  BOOST_TEST((chosen.for_table("messages") == LoadMethod::load_data_local));
  BOOST_TEST(pbk::restore::to_string(chosen)
             == "bulk INSERT (raw tables), LOAD DATA LOCAL (other tables)");
  const auto wanted = pbk::restore::choose_load_methods(target.db, LoadMethod::insert_batches);
  BOOST_TEST((wanted.for_table("raw-2024-03-01") == LoadMethod::insert_batches));
  BOOST_TEST((wanted.for_table("messages") == LoadMethod::insert_batches));
  {
    const LocalInfileOff off;
    const auto without_local_infile = pbk::restore::choose_load_methods(target.db);
    BOOST_TEST((without_local_infile.for_table("messages") == LoadMethod::bulk_insert));
    BOOST_TEST(pbk::restore::to_string(without_local_infile) == "bulk INSERT");
  }
  if (!test_server().log_bin) {
    return;
  }
  target.db.execute("SET SESSION binlog_format = 'STATEMENT'");
  const auto statements = pbk::restore::choose_load_methods(target.db);
  BOOST_TEST((statements.for_table("raw-2024-03-01") == LoadMethod::load_data_local));
  BOOST_TEST((statements.for_table("messages") == LoadMethod::load_data_local));
  try {
    (void)pbk::restore::choose_load_methods(target.db, LoadMethod::bulk_insert);
    BOOST_ERROR("no error");
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(contains(e.what(), "binary log is in STATEMENT format"), e.what());
  }
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
  try {
    (void)target.load(LoadMethod::bulk_insert, "t", rows_member({{"1"s}}));
    BOOST_ERROR("no error");
  } catch (const DbError& e) {
    BOOST_TEST(e.mysql_errno() == 4033U, e.what()); // ER_BINLOG_NON_SUPPORTED_BULK
  }
}

// A user would get an obscure client error instead of a clear one if a connection made without
// local_infile were used for LOAD DATA.
BOOST_AUTO_TEST_CASE(load_data_needs_a_local_infile_connection) {
  ScratchDatabase scratch(test_server());
  auto db = scratch.connect();
  db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
  pbk::test::MemorySource rows(pbk::test::as_bytes("1\n"));
  try {
    (void)db.load_data_local("LOAD DATA LOCAL INFILE 'rows' INTO TABLE t", rows);
    BOOST_ERROR("no error");
  } catch (const DbError& e) {
    BOOST_TEST(contains(e.what(), "the connection was made without local_infile"), e.what());
  }
}

// A user would not learn what the server changed if warnings were not reported in full.
BOOST_AUTO_TEST_CASE(warnings_are_listed) {
  Target target;
  target.db.execute("CREATE TABLE t (n TINYINT)");
  target.db.execute("INSERT INTO t VALUES (1000), ('x'), (-1000), (1)");
  BOOST_TEST(target.db.warning_count() == 3U);
  const auto warnings = target.db.warnings(2);
  BOOST_REQUIRE(warnings.size() == 2U);
  BOOST_TEST(warnings[0].rfind("Warning 1264: Out of range value for column 'n'", 0) == 0U,
             warnings[0]);
  BOOST_TEST(warnings[1].rfind("Warning 1366: ", 0) == 0U, warnings[1]);
  // The next statement that uses a table clears them (SELECT 1 would leave them listed).
  target.db.execute("SELECT COUNT(*) FROM t");
  BOOST_TEST(target.db.warning_count() == 0U);
  BOOST_TEST(target.db.warnings().empty());
}

// B10: a member whose rows have another field count than the table has columns is a damaged
// or forged archive. Lost if it failed: it surfaced as the server's error (exit 1: a wrapper
// retries it forever) or, with LOAD DATA, as rows silently padded or cut.
BOOST_DATA_TEST_CASE(rows_with_another_field_count_are_integrity_errors,
                     bdata::make(k_methods),
                     method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT, v BLOB)");
  for (const auto& row : std::vector<Row>{{"1"s}, {"1"s, "a"s, "b"s}}) {
    BOOST_CHECK_THROW((void)target.load(method, "t", rows_member({row})), IntegrityError);
    BOOST_TEST((target.db.query_value("SELECT COUNT(*) FROM t") == "0"s));
  }
}

// B10: rows the server refuses for their content (here a duplicate key) mean a damaged or
// forged archive. Lost if it failed: exit 1, which a wrapper retries, instead of 4.
BOOST_DATA_TEST_CASE(rows_the_server_refuses_are_integrity_errors, bdata::make(k_methods), method) {
  Target target;
  target.db.execute("CREATE TABLE t (id INT PRIMARY KEY, v BLOB)");
  try {
    (void)target.load(method, "t", rows_member({{"1"s, "a"s}, {"1"s, "b"s}}));
    BOOST_ERROR("no error");
  } catch (const IntegrityError& e) {
    BOOST_TEST((e.code() == pbk::core::ExitCode::integrity));
  }
}

namespace {

// `size` bytes of 'a' without a newline, counting what was taken from it.
class EndlessRow : public io::ByteSource {
public:
  explicit EndlessRow(std::uint64_t size)
      : m_left(size) {}

  std::size_t read(std::span<std::byte> buffer) override {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), m_left));
    std::fill_n(buffer.begin(), n, std::byte{'a'});
    m_left -= n;
    served += n;
    return n;
  }

  std::uint64_t served = 0;

private:
  std::uint64_t m_left;
};

} // namespace

// Lost if it failed: a member decompressing to one 2 GiB row made the server buffer it whole
// through LOAD DATA (7 GiB of server memory, not stopped by KILL), or the tool hold it.
BOOST_DATA_TEST_CASE(a_row_beyond_the_bound_stops_before_the_server_has_more_of_it,
                     bdata::make(k_methods),
                     method) {
  Target target;
  target.db.execute("CREATE TABLE t (v LONGBLOB)");
  EndlessRow endless(std::uint64_t{2} << 30);
  pbk::core::rowcodec::RowLimits limits;
  limits.max_row_bytes = std::size_t{1} << 20;
  RowLoader loader(target.db, method);
  try {
    (void)loader.load(target.scratch.name(), "t", endless, "postal/t.0001", limits);
    BOOST_ERROR("no error");
  } catch (const IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).find("more than 1048576 bytes of values") != std::string::npos,
               e.what());
  }
  // The loader takes at most one read past the bound; what it passed on is less.
  BOOST_TEST(endless.served <= (std::uint64_t{3} << 20), endless.served);
  BOOST_TEST((target.db.query_value("SELECT 1") == "1"s));
}

BOOST_AUTO_TEST_SUITE_END()
