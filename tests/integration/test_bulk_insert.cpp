// SPDX-License-Identifier: MIT
#include "core/db/bulk_insert.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/error.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using pbk::core::db::BulkInsert;
using pbk::core::db::Connection;
using pbk::core::db::DbError;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;
using namespace std::string_literals;

namespace {

using Fields = std::vector<std::optional<std::string_view>>;

struct Table {
  ScratchDatabase scratch{test_server()};
  Connection db = connect(scratch);
  std::string name = Connection::quote_identifier(scratch.name()) + ".`t`";

  static Connection connect(const ScratchDatabase& scratch) {
    auto db = Connection::connect(test_server().root_options());
    db.execute("USE " + Connection::quote_identifier(scratch.name()));
    db.execute("CREATE TABLE t (id INT PRIMARY KEY, b LONGBLOB NULL, s VARCHAR(20) NULL)");
    return db;
  }

  std::vector<std::vector<std::optional<std::string>>> rows() {
    return db.query("SELECT id, b, s FROM t ORDER BY id").rows();
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(BulkInsertTest, *boost::unit_test::precondition(pbk::test::require_server))

// A user's restore would lose or reorder rows, or turn NULLs into empty values, if a batch did
// not reach the table exactly as it was added.
BOOST_AUTO_TEST_CASE(a_batch_arrives_whole_with_nulls_and_binary_values) {
  Table table;
  BulkInsert insert(table.db, table.name, 3);
  BOOST_TEST(insert.flush() == 0U); // an empty batch sends nothing
  const std::string binary("\0\xff'\"\\\n"s);
  insert.add(Fields{"1", binary, std::nullopt});
  insert.add(Fields{"2", std::nullopt, ""});
  insert.add(Fields{"3", "", "caf\xC3\xA9"});
  BOOST_TEST(insert.pending_rows() == 3U);
  BOOST_TEST(insert.pending_bytes() == 3U + binary.size() + 5U);
  BOOST_TEST(insert.flush() == 3U);
  BOOST_TEST(insert.pending_rows() == 0U);
  const auto rows = table.rows();
  BOOST_REQUIRE(rows.size() == 3U);
  BOOST_TEST((rows[0][1] == binary));
  BOOST_TEST(!rows[0][2].has_value());
  BOOST_TEST(!rows[1][1].has_value());
  BOOST_TEST((rows[1][2] == ""s));
  BOOST_TEST((rows[2][1] == ""s));
  BOOST_TEST((rows[2][2] == "caf\xC3\xA9"s));
}

// A user's largest mails (tens of MiB) would fail to restore, or come back altered, if a value
// sent in pieces were cut or joined wrongly at a piece boundary.
BOOST_AUTO_TEST_CASE(a_large_value_goes_in_pieces_and_comes_back_exact) {
  Table table;
  BulkInsert insert(table.db, table.name, 3);
  const auto big = pbk::test::random_bytes(3 * BulkInsert::k_piece_bytes + 17, 7);
  const auto edge = pbk::test::random_bytes(BulkInsert::k_piece_bytes, 8);
  BOOST_TEST(insert.insert_one(Fields{"1", big, "big"}) == 1U);
  BOOST_TEST(insert.insert_one(Fields{"2", edge, std::nullopt}) == 1U);
  insert.add(Fields{"3", "small", "after"});
  BOOST_TEST(insert.flush() == 1U);
  const auto rows = table.rows();
  BOOST_REQUIRE(rows.size() == 3U);
  BOOST_TEST((rows[0][1] == big));
  BOOST_TEST((rows[1][1] == edge));
  BOOST_TEST(!rows[1][2].has_value());
  BOOST_TEST((rows[2][2] == "after"s));
}

// A user restoring an archive whose rows do not fit the table would get rows shifted into the
// wrong columns instead of an error naming the table.
BOOST_AUTO_TEST_CASE(a_row_of_the_wrong_width_is_refused) {
  Table table;
  BulkInsert insert(table.db, table.name, 3);
  BOOST_CHECK_THROW(insert.add(Fields{"1", "x"}), pbk::core::Error);
  BOOST_CHECK_THROW((void)insert.insert_one(Fields{"1", "x", "y", "z"}), pbk::core::Error);
  BOOST_CHECK_THROW(BulkInsert(table.db, table.name, 2), pbk::core::Error);
  BOOST_TEST(table.rows().empty());
}

// A user would see a restore report success although the server refused rows (a duplicate
// key here) if the batch's error were not raised.
BOOST_AUTO_TEST_CASE(a_refused_batch_raises_the_servers_error) {
  Table table;
  BulkInsert insert(table.db, table.name, 3);
  insert.add(Fields{"1", "a", "a"});
  insert.add(Fields{"1", "b", "b"});
  try {
    (void)insert.flush();
    BOOST_ERROR("no error");
  } catch (const DbError& e) {
    BOOST_TEST(e.mysql_errno() == 1062U, e.what()); // ER_DUP_ENTRY
    BOOST_TEST(std::string(e.what()).find("cannot insert 2 rows into") != std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
