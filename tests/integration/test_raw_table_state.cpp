// SPDX-License-Identifier: MIT
// Which past raw tables Postal may still rewrite, read from Postal's own state in a real
// Postal 3.3.6 schema (main level 20240311205229, message level 20) and in an old message
// database built by its migrations, plus the fingerprint and checksum a reused raw table is
// held to. A raw table wrongly called settled would be reused by an incremental backup as
// stored before Postal rewrote it: the restore would bring back mail without the DKIM
// signature and tracking links Postal gave it.
#include "postal/raw_table_state.hpp"

#include "core/error.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using pbk::core::db::Connection;
using pbk::postal::raw_table_checksum;
using pbk::postal::raw_table_fingerprint;
using pbk::postal::RawTableFingerprint;
using pbk::postal::rewritable_raw_rows;
using pbk::postal::RewritableRows;
using pbk::postal::unsettled_raw_tables;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;
namespace fs = std::filesystem;

namespace {

const fs::path k_fixtures = fs::path(PBK_SOURCE_DIR) / "tests/fixtures/postal";
constexpr int k_server = 1;
constexpr int k_other_server = 2;

using Tables = std::set<std::string>;

// A messages row as Postal leaves it; parsed nullopt for a level without the column.
struct MessageState {
  std::string scope;
  std::string status;
  std::optional<int> parsed;
  int inspected = 1;
  int spam = 0;
};

// Processing finished: parsed and given its headers, inspected, delivered.
const MessageState k_sent{"outgoing", "Sent", 1, 1, 0};
// Incoming mail is inspected but never parsed.
const MessageState k_received{"incoming", "Processed", 0, 1, 0};

std::vector<fs::path> message_schema_files(int level) {
  if (level == 20) {
    return {k_fixtures / "schema/message_db/20.sql"};
  }
  std::vector<fs::path> files;
  for (int number = 1; number <= level; ++number) {
    files.push_back(k_fixtures / "migrations/message_db"
                    / ((number < 10 ? "0" : "") + std::to_string(number) + ".sql"));
  }
  return files;
}

// Mail server 1 of a Postal install in scratch databases, with a connection for each side as
// when the main and message databases live on different servers.
class Install {
public:
  explicit Install(int message_level = 20)
      : main(test_server()),
        message(test_server()),
        main_connection(Connection::connect(test_server().root_options())),
        message_connection(Connection::connect(test_server().root_options())),
        m_has_parsed(message_level >= 17) {
    pbk::test::run_sql_file(
        test_server(), main.name(), k_fixtures / "schema/main/20240311205229.sql");
    for (const auto& file : message_schema_files(message_level)) {
      pbk::test::run_sql_file(test_server(), message.name(), file);
    }
  }

  [[nodiscard]] std::string message_table(const std::string& table) const {
    return Connection::qualified_name(message.name(), table);
  }

  // As Postal's provisioner makes a day's table: created empty and listed with size 0.
  void add_raw_table(const std::string& table) {
    message_connection.execute("CREATE TABLE " + message_table(table)
                               + " (`id` int(11) NOT NULL AUTO_INCREMENT, `data` longblob, "
                                 "`next` int(11), PRIMARY KEY (`id`)) ENGINE=InnoDB");
    message_connection.execute("INSERT INTO " + message_table("raw_message_sizes")
                               + " (table_name, size) VALUES (" + message_connection.quote(table)
                               + ", 0)");
  }

  int add_raw_row(const std::string& table, const std::string& data) {
    message_connection.execute("INSERT INTO " + message_table(table) + " (data) VALUES ("
                               + message_connection.quote(data) + ")");
    return std::stoi(message_connection.query_value("SELECT LAST_INSERT_ID()").value());
  }

  // A message whose headers and body are stored in `table`, as Postal receives or sends it.
  int add_message(const std::string& table, const MessageState& state) {
    const int headers = add_raw_row(table, "From: a@example.com\r\nSubject: hello\r\n");
    const int body = add_raw_row(table, "Hello, see https://example.com/\r\n");
    auto& db = message_connection;
    db.execute("INSERT INTO " + message_table("messages")
               + " (scope, status, inspected, spam, raw_table, raw_headers_id, raw_body_id)"
                 " VALUES ("
               + db.quote(state.scope) + ", " + db.quote(state.status) + ", "
               + std::to_string(state.inspected) + ", " + std::to_string(state.spam) + ", "
               + db.quote(table) + ", " + std::to_string(headers) + ", " + std::to_string(body)
               + ")");
    const int id = std::stoi(db.query_value("SELECT LAST_INSERT_ID()").value());
    if (m_has_parsed && state.parsed) {
      db.execute("UPDATE " + message_table("messages") + " SET parsed = "
                 + std::to_string(*state.parsed) + " WHERE id = " + std::to_string(id));
    }
    db.execute("UPDATE " + message_table("raw_message_sizes")
               + " SET size = size + 100 WHERE table_name = " + db.quote(table));
    return id;
  }

  void queue(int message_id, int server_id = k_server) {
    main_connection.execute("INSERT INTO "
                            + Connection::qualified_name(main.name(), "queued_messages")
                            + " (server_id, message_id, domain, created_at, updated_at) VALUES ("
                            + std::to_string(server_id) + ", " + std::to_string(message_id)
                            + ", 'example.com', NOW(), NOW())");
  }

  [[nodiscard]] Tables unsettled() {
    return unsettled_raw_tables(
        message_connection, message.name(), main_connection, main.name(), k_server);
  }

  [[nodiscard]] std::map<std::string, RewritableRows> rewritable() {
    return rewritable_raw_rows(
        message_connection, message.name(), main_connection, main.name(), k_server);
  }

  void set_next(const std::string& table, int id, int next) {
    message_connection.execute("UPDATE " + message_table(table) + " SET next = "
                               + std::to_string(next) + " WHERE id = " + std::to_string(id));
  }

  [[nodiscard]] RawTableFingerprint fingerprint(const std::string& table) {
    return raw_table_fingerprint(message_connection, message.name(), table);
  }

  [[nodiscard]] std::string checksum(const std::string& table) {
    return raw_table_checksum(message_connection, message.name(), table);
  }

  ScratchDatabase main;
  ScratchDatabase message;
  Connection main_connection;
  Connection message_connection;

private:
  bool m_has_parsed;
};

std::string describe(const Tables& tables) {
  std::string text = "{";
  for (const auto& table : tables) {
    text += " " + table;
  }
  return text + " }";
}

// Day 1 holds only finished mail; day 2 finished mail and one message in `state`. Exactly
// day 2 must be unsettled.
void expect_only_its_table_unsettled(const MessageState& state) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  install.add_raw_table("raw-2026-11-02");
  install.add_message("raw-2026-11-01", k_sent);
  install.add_message("raw-2026-11-01", k_received);
  install.add_message("raw-2026-11-02", k_sent);
  install.add_message("raw-2026-11-02", state);
  const auto unsettled = install.unsettled();
  BOOST_TEST(unsettled == Tables{"raw-2026-11-02"}, describe(unsettled));
}

} // namespace

BOOST_AUTO_TEST_SUITE(RawTableState, *boost::unit_test::precondition(pbk::test::require_server))

// Lost if it failed: an incremental backup would store every raw table every night, costing
// as much as a full one; or, if retention's detached messages counted, never free a table.
BOOST_AUTO_TEST_CASE(tables_of_finished_mail_and_detached_tables_are_settled) {
  Install install;
  for (const auto* table : {"raw-2026-11-01", "raw-2026-11-02", "raw-2026-11-03"}) {
    install.add_raw_table(table);
  }
  install.add_message("raw-2026-11-01", k_sent);
  install.add_message("raw-2026-11-01", k_received);
  // A delivery that failed for good: parsed and given its headers before sending.
  install.add_message("raw-2026-11-01", {"outgoing", "HardFail", 1, 1, 0});
  install.add_message("raw-2026-11-03", k_received);
  // Retention detached this message from its table before dropping the table.
  install.message_connection.execute("INSERT INTO " + install.message_table("messages")
                                     + " (scope, status, parsed, inspected, raw_table) "
                                       "VALUES ('outgoing', 'Pending', 0, 0, NULL)");
  const auto unsettled = install.unsettled();
  BOOST_TEST(unsettled.empty(), describe(unsettled));
}

// Lost if it failed: a message Postal has not parsed yet gets its links rewritten for click
// tracking and its DKIM signature later; the reused copy would have neither.
BOOST_AUTO_TEST_CASE(an_outgoing_message_not_yet_parsed_unsettles_its_table) {
  // HardFail before parsing (no route, say): a retry by hand would still parse it.
  expect_only_its_table_unsettled({"outgoing", "HardFail", 0, 1, 0});
}

// Lost if it failed: a message held on day D and released on D+3 is rewritten on D+3; the
// backup would keep the version without DKIM signature and tracking.
BOOST_AUTO_TEST_CASE(a_held_outgoing_message_unsettles_its_table) {
  expect_only_its_table_unsettled({"outgoing", "Held", 1, 1, 0});
}

// Lost if it failed: spam failures stop after parsing but before the headers are added; a
// retry by hand adds them, and the reused copy would lack them.
BOOST_AUTO_TEST_CASE(a_spam_failed_outgoing_message_unsettles_its_table) {
  expect_only_its_table_unsettled({"outgoing", "HardFail", 1, 1, 1});
}

// Lost if it failed: incoming mail not yet inspected gets X-Postal-Spam headers prepended;
// the reused copy would lack them.
BOOST_AUTO_TEST_CASE(an_uninspected_incoming_message_unsettles_its_table) {
  expect_only_its_table_unsettled({"incoming", "Processed", 0, 0, 0});
}

// Lost if it failed: a message waiting for its first processing (here one whose inspection
// is recorded but whose headers may not be written yet) would be reused before the rewrite.
BOOST_AUTO_TEST_CASE(a_pending_message_unsettles_its_table) {
  expect_only_its_table_unsettled({"incoming", "Pending", 0, 1, 0});
}

// Lost if it failed: a message in Postal's queue is being processed or retried right now,
// whatever its state says; and another mail server's queue (message ids are per server) must
// not unsettle this server's tables, or its tables would be stored again every night.
BOOST_AUTO_TEST_CASE(a_queued_message_of_this_server_unsettles_its_table) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  install.add_raw_table("raw-2026-11-02");
  const int other_servers_id = install.add_message("raw-2026-11-01", k_sent);
  const int queued = install.add_message("raw-2026-11-02", k_sent);
  install.queue(queued);
  install.queue(other_servers_id, k_other_server);
  const auto unsettled = install.unsettled();
  BOOST_TEST(unsettled == Tables{"raw-2026-11-02"}, describe(unsettled));
}

// Lost if it failed: a large queue (a mail outage keeps thousands of messages queued) would
// make a statement too large for the server, or lose the ids past the first batch.
BOOST_AUTO_TEST_CASE(a_long_queue_is_looked_up_in_batches_on_one_connection_too) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  install.add_raw_table("raw-2026-11-02");
  install.add_message("raw-2026-11-01", k_sent);
  const int queued = install.add_message("raw-2026-11-02", k_sent);
  // Ids of messages already deleted, queued before the one that matters.
  install.main_connection.execute(
      "INSERT INTO " + Connection::qualified_name(install.main.name(), "queued_messages")
      + " (server_id, message_id) SELECT 1, 100000 + seq FROM "
      + Connection::qualified_name(install.main.name(), "seq_1_to_2500"));
  install.queue(queued);

  const auto unsettled = install.unsettled();
  BOOST_TEST(unsettled == Tables{"raw-2026-11-02"}, describe(unsettled));
  // Main and message databases on one server, served by one connection.
  const auto on_one = unsettled_raw_tables(install.message_connection,
                                           install.message.name(),
                                           install.message_connection,
                                           install.main.name(),
                                           k_server);
  BOOST_TEST(on_one == Tables{"raw-2026-11-02"}, describe(on_one));
}

// Lost if it failed: the decision would not describe the data the backup stores: a message
// released after the snapshot began would make a table look settled while the backup reads
// its rows as they were before the rewrite.
BOOST_AUTO_TEST_CASE(the_state_is_read_in_the_callers_snapshot) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  const int held = install.add_message("raw-2026-11-01", {"outgoing", "Held", 1, 1, 0});
  install.queue(held);
  install.main_connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  install.message_connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");

  auto postal = Connection::connect(test_server().root_options());
  postal.execute("UPDATE " + install.message_table("messages")
                 + " SET status = 'Sent' WHERE id = " + std::to_string(held));
  postal.execute("DELETE FROM "
                 + Connection::qualified_name(install.main.name(), "queued_messages"));

  BOOST_TEST(install.unsettled() == Tables{"raw-2026-11-01"});
  install.main_connection.execute("COMMIT");
  install.message_connection.execute("COMMIT");
  BOOST_TEST(install.unsettled().empty(), "the next snapshot sees the message sent");
}

// Lost if it failed: a message database older than level 17 cannot tell parsed mail from
// unparsed mail; calling its tables settled would reuse copies Postal may still rewrite.
BOOST_AUTO_TEST_CASE(an_old_message_database_leaves_every_raw_table_unsettled) {
  Install install(16);
  install.add_raw_table("raw-2026-11-01");
  install.add_raw_table("raw-2026-11-02");
  install.add_message("raw-2026-11-01", {"outgoing", "Sent", std::nullopt, 1, 0});
  install.message_connection.execute("CREATE TABLE " + install.message_table("raw-notes")
                                     + " (id INT)");
  const auto unsettled = install.unsettled();
  BOOST_TEST(unsettled == (Tables{"raw-2026-11-01", "raw-2026-11-02"}), describe(unsettled));
}

// Lost if it failed: without Postal's queue in sight, a message being processed right now
// could not be seen, and its table would be reused.
BOOST_AUTO_TEST_CASE(a_main_database_without_its_queue_leaves_every_raw_table_unsettled) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  install.add_message("raw-2026-11-01", k_sent);
  install.main_connection.execute(
      "DROP TABLE " + Connection::qualified_name(install.main.name(), "queued_messages"));
  const auto unsettled = install.unsettled();
  BOOST_TEST(unsettled == Tables{"raw-2026-11-01"}, describe(unsettled));
}

// Lost if it failed: an appended row, a message newly pointing at the table or a new size
// Postal recorded would go unnoticed, and the reused copy would miss that mail.
BOOST_AUTO_TEST_CASE(the_fingerprint_sees_appends_new_messages_and_recorded_sizes) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  const auto empty = install.fingerprint("raw-2026-11-01");
  BOOST_TEST(empty.max_id == "");
  BOOST_TEST(empty.messages == 0u);
  BOOST_TEST(empty.recorded_size == "0");

  install.add_message("raw-2026-11-01", k_sent);
  const auto before = install.fingerprint("raw-2026-11-01");
  BOOST_TEST(before.max_id == "2");
  BOOST_TEST(before.messages == 1u);
  BOOST_TEST(before.recorded_size == "100");

  install.add_raw_row("raw-2026-11-01", "appended");
  auto after = install.fingerprint("raw-2026-11-01");
  BOOST_TEST(after.max_id == "3");
  BOOST_TEST((after.messages == before.messages && after.recorded_size == before.recorded_size));

  // A second message (a bounce, say) pointing at rows already stored.
  install.message_connection.execute("INSERT INTO " + install.message_table("messages")
                                     + " (scope, raw_table) VALUES ('incoming', 'raw-2026-11-01')");
  const auto pointed = install.fingerprint("raw-2026-11-01");
  BOOST_TEST(pointed.messages == 2u);
  BOOST_TEST((pointed.max_id == after.max_id && pointed.recorded_size == after.recorded_size));

  install.message_connection.execute("UPDATE " + install.message_table("raw_message_sizes")
                                     + " SET size = 4242 WHERE table_name = 'raw-2026-11-01'");
  const auto resized = install.fingerprint("raw-2026-11-01");
  BOOST_TEST(resized.recorded_size == "4242");
  BOOST_TEST((resized.max_id == pointed.max_id && resized.messages == pointed.messages));

  install.message_connection.execute("DELETE FROM " + install.message_table("raw_message_sizes")
                                     + " WHERE table_name = 'raw-2026-11-01'");
  BOOST_TEST(install.fingerprint("raw-2026-11-01").recorded_size == "");
  BOOST_CHECK_THROW((void)install.fingerprint("raw-2026-11-09"), pbk::core::Error);
}

// Lost if it failed: the fingerprint's documented limit would be untested, and the weekly
// --verify-reused check, the one thing that catches a row changed in place, would not.
BOOST_AUTO_TEST_CASE(an_in_place_rewrite_escapes_the_fingerprint_but_not_the_checksum) {
  Install install;
  install.add_raw_table("raw-2026-11-01");
  const int id = install.add_message("raw-2026-11-01", k_sent);
  const auto fingerprint = install.fingerprint("raw-2026-11-01");
  const auto checksum = install.checksum("raw-2026-11-01");
  BOOST_TEST(install.checksum("raw-2026-11-01") == checksum, "a checksum must be repeatable");

  const auto headers = install.message_connection.query_value(
      "SELECT raw_headers_id FROM " + install.message_table("messages")
      + " WHERE id = " + std::to_string(id));
  install.message_connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  // What Postal does to the headers row of a released message, while a backup's snapshot is
  // open: the checksum taken in the snapshot is the one of the rows the backup stores.
  auto postal = Connection::connect(test_server().root_options());
  postal.execute("UPDATE " + install.message_table("raw-2026-11-01")
                 + " SET data = CONCAT('DKIM-Signature: v=1\\r\\nX-Postal-MsgID: abc\\r\\n', data)"
                   " WHERE id = "
                 + headers.value());
  BOOST_TEST(install.checksum("raw-2026-11-01") == checksum);
  install.message_connection.execute("COMMIT");

  BOOST_TEST((install.fingerprint("raw-2026-11-01") == fingerprint));
  BOOST_TEST(install.checksum("raw-2026-11-01") != checksum);
}

// Lost if it failed: --verify-reused on a table dropped since would compare nothing and call
// the table unchanged, or fail with a message naming no table.
BOOST_AUTO_TEST_CASE(the_checksum_of_a_missing_table_is_a_clear_error) {
  Install install;
  BOOST_CHECK_EXCEPTION(
      (void)install.checksum("raw-2026-11-09"), pbk::core::Error, [&](const pbk::core::Error& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        return e.code() == pbk::core::ExitCode::runtime
               && message.find(install.message.name() + ".raw-2026-11-09") != std::string::npos;
      });
}

// Lost if it failed: an incremental backup takes an id block from an earlier copy unless it
// holds a row Postal may still rewrite; a row missed here (the second row of a long message,
// a queued message's rows) would be restored as it was before Postal rewrote it.
BOOST_AUTO_TEST_CASE(rewritable_rows_are_unsettled_messages_rows_and_their_chains) {
  Install install;
  const std::string table = "raw-2026-11-01";
  install.add_raw_table(table);
  const int held = install.add_message(table, {"outgoing", "Held", 0, 1, 0}); // rows 1, 2
  install.queue(install.add_message(table, k_sent));                          // rows 3, 4
  (void)install.add_message(table, k_sent);                                   // rows 5, 6
  const int second = install.add_raw_row(table, "rest of a long body");
  const int third = install.add_raw_row(table, "end of it");
  install.set_next(table, 2, second);
  install.set_next(table, second, third);
  auto rows = install.rewritable();
  BOOST_TEST(rows.size() == 1u);
  BOOST_TEST(!rows[table].whole_table);
  BOOST_TEST((rows[table].ids == std::set<std::int64_t>{1, 2, 3, 4, second, third}));
  BOOST_TEST(rows[table].any_in(second, second));
  BOOST_TEST(!rows[table].any_in(5, 6));

  // A chain back to a row already named never ends by following it: the whole table counts.
  install.set_next(table, third, 1);
  BOOST_TEST(install.rewritable()[table].whole_table);
  install.set_next(table, third, third);
  BOOST_TEST(install.rewritable()[table].whole_table);
  install.message_connection.execute("UPDATE " + install.message_table(table)
                                     + " SET next = NULL WHERE id = " + std::to_string(third));
  BOOST_TEST(!install.rewritable()[table].whole_table);
  // A message with raw_table set but no row: which rows is not known.
  install.message_connection.execute("UPDATE " + install.message_table("messages")
                                     + " SET raw_body_id = NULL WHERE id = "
                                     + std::to_string(held));
  BOOST_TEST(install.rewritable()[table].whole_table);
}

// Lost if it failed: a chain of more rows than any message Postal stores (a damaged or
// hostile table) would be followed row by row for as long as it goes.
BOOST_AUTO_TEST_CASE(a_chain_longer_than_any_message_counts_the_whole_table) {
  Install install;
  const std::string table = "raw-2026-11-01";
  install.add_raw_table(table);
  (void)install.add_message(table, {"outgoing", "Held", 0, 1, 0}); // rows 1, 2
  const auto rows = std::to_string(pbk::postal::k_max_chain_rows + 10);
  install.message_connection.execute("SET SESSION max_recursive_iterations = 100000");
  install.message_connection.execute(
      "INSERT INTO " + install.message_table(table)
      + " (id, data, next) WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE "
        "i < "
      + rows + ") SELECT i, 'x', IF(i < " + rows + ", i + 1, NULL) FROM n");
  install.set_next(table, 1, 3);
  BOOST_TEST(install.rewritable()[table].whole_table);
}

BOOST_AUTO_TEST_SUITE_END()
