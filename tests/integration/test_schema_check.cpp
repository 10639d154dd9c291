// SPDX-License-Identifier: MIT
// `postal-backup schema check` and `schema hash` on real servers built from the fixture DDL:
// an install named like Postal's (a main database whose servers table has mail server 1, and
// `<prefix>-server-1`) at every level is healthy, and each known way a Postal database goes
// wrong is reported as drift (exit 4) naming what to fix, or as pending migrations (exit 3).
#include "postal/expected_schema.hpp"

#include "tests/support/postal_sample.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>

using pbk::core::db::Connection;
using pbk::test::run_tool;
namespace fs = std::filesystem;

namespace {

const fs::path k_schemas = fs::path(PBK_SOURCE_DIR) / "tests/fixtures/postal/schema";

// Postal's install instructions: CREATE DATABASE postal CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci.
const std::string k_documented_main_charset = "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
// What a container's MARIADB_DATABASE=postal gets on a server whose default is another
// collation of utf8mb4.
const std::string k_container_main_charset = "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci";

// A schema-only Postal install: main DB at `main_level` (created with `main_charset`, by default
// as Rails' db:create does), message DB of `message_variant`.
class FixtureInstall {
public:
  FixtureInstall(const std::string& main_level,
                 const std::string& message_variant,
                 const std::string& main_charset = "CHARACTER SET utf8mb4")
      : m_server(pbk::test::test_server()) {
    static std::atomic<int> counter{0};
    m_prefix = "pbksc" + std::to_string(::getpid() % 100000) + "_" + std::to_string(++counter);
    auto connection = Connection::connect(m_server.root_options());
    connection.execute("CREATE DATABASE " + Connection::quote_identifier(main_db()) + " "
                       + main_charset);
    connection.execute("CREATE DATABASE " + Connection::quote_identifier(message_db()));
    pbk::test::run_sql_file(m_server, main_db(), k_schemas / "main" / (main_level + ".sql"));
    pbk::test::run_sql_file(
        m_server, message_db(), k_schemas / "message_db" / (message_variant + ".sql"));
    // Mail server 1 exists, so its message database belongs to the install.
    execute("SET SESSION sql_mode = ''");
    execute("INSERT INTO " + Connection::quote_identifier(main_db()) + ".servers (id) VALUES (1)");
  }

  ~FixtureInstall() {
    for (const auto& name : {main_db(), message_db()}) {
      try {
        pbk::test::drop_database(m_server, name);
      } catch (...) {
        // Deliberately ignored: leftovers die with the throwaway server.
      }
    }
  }

  FixtureInstall(const FixtureInstall&) = delete;
  FixtureInstall& operator=(const FixtureInstall&) = delete;

  [[nodiscard]] std::string main_db() const { return m_prefix + "_main"; }

  [[nodiscard]] std::string message_db() const { return m_prefix + "-server-1"; }

  [[nodiscard]] const std::string& prefix() const { return m_prefix; }

  // scripts/simulate-postal-upgrade: the migrations of `version` the install lacks, each as
  // Postal runs it (a table its migration creates without a charset takes the database's).
  void upgrade_to(const std::string& version) const {
    const auto result =
        pbk::test::run_command({std::string(PBK_SOURCE_DIR) + "/scripts/simulate-postal-upgrade",
                                "--target-version",
                                version,
                                "--socket",
                                m_server.socket,
                                "--user",
                                "root",
                                "--main-db",
                                main_db(),
                                "--message-db-prefix",
                                m_prefix});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.out << result.err);
  }

  // information_schema's collation of table `table` of the main database.
  [[nodiscard]] std::string main_table_collation(const std::string& table) const {
    auto connection = Connection::connect(m_server.root_options());
    return connection
        .query_value("SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                     + connection.quote(main_db()) + " AND TABLE_NAME = " + connection.quote(table))
        .value_or("");
  }

  // Runs `sql` with the main database selected.
  void execute(const std::string& sql) {
    if (!m_session) {
      auto options = m_server.root_options();
      m_session.emplace(Connection::connect(options));
      m_session->execute("USE " + Connection::quote_identifier(main_db()));
    }
    m_session->execute(sql);
  }

  [[nodiscard]] pbk::test::CommandResult schema(const std::string& sub,
                                                std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"schema",
                                  sub,
                                  "--socket",
                                  m_server.socket,
                                  "--user",
                                  "root",
                                  "--main-db",
                                  main_db(),
                                  "--message-db-prefix",
                                  m_prefix};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool(args);
  }

private:
  const pbk::test::TestServer& m_server;
  std::string m_prefix;
  std::optional<Connection> m_session;
};

std::vector<std::string> main_levels() {
  std::vector<std::string> levels;
  for (const auto& file : pbk::postal::expected_main_schema_files()) {
    levels.push_back(fs::path(file).stem().string());
  }
  return levels;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(SchemaCheckOnServer,
                      *boost::unit_test::precondition(pbk::test::require_server))

BOOST_AUTO_TEST_CASE(every_main_level_is_healthy) {
  // Without it a correct install of some Postal release would be reported as drifted, and
  // users would learn to ignore the check.
  for (const auto& level : main_levels()) {
    BOOST_TEST_CONTEXT(level) {
      FixtureInstall install(level, level < "20200717083943" ? "18" : "20");
      const auto result = install.schema("check");
      BOOST_TEST(result.exit_code == 0, result.out << result.err);
      BOOST_TEST(contains(result.out, "status: healthy"), result.out);
    }
  }
}

BOOST_AUTO_TEST_CASE(message_levels_and_upgraded_variant_are_healthy) {
  // Without it a message database upgraded from 1.x (mediumtext webhook bodies) would be
  // called broken although Postal runs fine on it.
  for (const auto& [main, message] : std::vector<std::pair<std::string, std::string>>{
           {"20180216114344", "18"},
           {"20210727210551", "20"},
           {"20210727210551", "20-upgraded-from-18"}}) {
    BOOST_TEST_CONTEXT(message) {
      FixtureInstall install(main, message);
      const auto result = install.schema("check", {"--json"});
      BOOST_TEST_REQUIRE(result.exit_code == 0, result.out << result.err);
      const auto json = nlohmann::json::parse(result.out);
      BOOST_TEST(json.at("status") == "healthy");
      BOOST_TEST(json.at("databases").size() == 2U);
      BOOST_TEST(json.at("databases")[1].at("expected_schema")
                 == "schema/message_db/" + message + ".sql");
    }
  }
}

BOOST_AUTO_TEST_CASE(main_database_created_as_postal_docs_say_is_healthy) {
  // Without it every install that followed Postal's instructions (utf8mb4_unicode_ci) would be
  // reported as drifted in schema_migrations and ar_internal_metadata, which Rails creates in
  // the database's default collation, and users would learn to ignore the check.
  for (const auto& level : {std::string("20180216114344"),
                            std::string("20210727210551"),
                            std::string("20240311205229")}) {
    BOOST_TEST_CONTEXT(level) {
      FixtureInstall install(
          level, level < "20200717083943" ? "18" : "20", k_documented_main_charset);
      const auto result = install.schema("check");
      BOOST_TEST(result.exit_code == 0, result.out << result.err);
      BOOST_TEST(contains(result.out, "status: healthy"), result.out);
    }
  }
}

BOOST_AUTO_TEST_CASE(install_upgraded_to_3x_under_other_database_defaults_is_healthy) {
  // Lost if it failed: a 2.x install upgraded to 3.x in a database whose default is not
  // utf8mb4_general_ci (the 1.x installer's utf8mb4_unicode_ci, a container's server default)
  // gets worker_roles and scheduled_tasks in that collation, as Postal's migrations name no
  // charset; it would be drifted for good, and the ExecStartPre= guard would keep Postal down.
  for (const auto& charset : {k_documented_main_charset, k_container_main_charset}) {
    BOOST_TEST_CONTEXT(charset) {
      FixtureInstall install("20210727210551", "20", charset);
      install.upgrade_to("3.3.6");
      const auto collation = charset.substr(charset.rfind(' ') + 1);
      BOOST_TEST(install.main_table_collation("worker_roles") == collation);
      BOOST_TEST(install.main_table_collation("scheduled_tasks") == collation);
      const auto result = install.schema("check", {"--target-version", "3.3.6", "--json"});
      BOOST_TEST(result.exit_code == 0, result.out << result.err);
      const auto json = nlohmann::json::parse(result.out);
      BOOST_TEST(json.at("status") == "healthy", result.out);
      BOOST_TEST(json.at("databases")[0].at("findings").empty(), result.out);
      BOOST_TEST(json.at("databases")[0].at("notes").empty(), result.out);
    }
  }
}

BOOST_AUTO_TEST_CASE(another_collation_is_a_note_another_charset_drift) {
  // Lost if it failed: a table converted to another utf8mb4 collation (Postal runs on it
  // unchanged) would block `finish`; or one converted to utf8, where mail with 4-byte
  // characters fails, would pass.
  FixtureInstall install("20210727210551", "20");
  install.execute(
      "ALTER TABLE credentials CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  const auto noted = install.schema("check");
  BOOST_TEST(noted.exit_code == 0, noted.out << noted.err);
  BOOST_TEST(contains(noted.out,
                      "  note: table credentials collation is utf8mb4_unicode_ci, expected "
                      "utf8mb4_general_ci (the same character set: not drift)"),
             noted.out);
  BOOST_TEST(contains(noted.out, "status: healthy"), noted.out);

  install.execute("ALTER TABLE users CONVERT TO CHARACTER SET utf8");
  const auto drifted = install.schema("check");
  BOOST_TEST(drifted.exit_code == 4, drifted.out << drifted.err);
  BOOST_TEST(contains(drifted.out, "  drift: table users collation is utf8mb3_general_ci"),
             drifted.out);
}

BOOST_AUTO_TEST_CASE(rails_5_utf8_key_columns_are_healthy) {
  // Without it every Postal install created in 2017 to early 2018 would be reported as drifted
  // forever: Rails 5.0/5.1 made schema_migrations.version and ar_internal_metadata.key utf8
  // inside a utf8mb4 database, and no later Rails changes them.
  for (const auto& [main_charset, collation] : std::vector<std::pair<std::string, std::string>>{
           {"CHARACTER SET utf8mb4", "utf8_general_ci"},
           {k_documented_main_charset, "utf8_unicode_ci"}}) {
    BOOST_TEST_CONTEXT(collation) {
      FixtureInstall install("20210727210551", "20", main_charset);
      for (const auto& [table, column] :
           {std::pair<std::string, std::string>{"schema_migrations", "version"},
            {"ar_internal_metadata", "key"}}) {
        install.execute("ALTER TABLE " + table + " MODIFY `" + column
                        + "` varchar(255) CHARACTER SET utf8 COLLATE " + collation + " NOT NULL");
      }
      const auto result = install.schema("check");
      BOOST_TEST(result.exit_code == 0, result.out << result.err);
      BOOST_TEST(contains(result.out, "status: healthy"), result.out);
    }
  }
}

BOOST_AUTO_TEST_CASE(recorded_uuid_migration_without_the_column_is_drift) {
  // Without it the known incident goes unnoticed: schema_migrations claims the uuid migration,
  // so `postal upgrade` skips it, and Postal 2.x fails on every credential page.
  FixtureInstall install("20180216114344", "18");
  install.execute("INSERT INTO schema_migrations VALUES ('20200717083943')");
  const auto result = install.schema("check");
  BOOST_TEST(result.exit_code == 4, result.out << result.err);
  BOOST_TEST(contains(result.out,
                      "schema_migrations records 20200717083943 (add_uuid_to_credentials) but "
                      "credentials.uuid is absent"),
             result.out);
}

BOOST_AUTO_TEST_CASE(uuid_column_without_its_migration_row_is_drift) {
  // Without it `postal upgrade` would run the uuid migration again and fail on the existing
  // column, halfway through an upgrade.
  FixtureInstall install("20180216114344", "18");
  install.execute("ALTER TABLE credentials ADD uuid varchar(255)");
  const auto result = install.schema("check", {"--json"});
  BOOST_TEST(result.exit_code == 4, result.out << result.err);
  const auto json = nlohmann::json::parse(result.out);
  BOOST_TEST(json.at("status") == "drift");
  const auto& finding = json.at("databases")[0].at("findings").at(0);
  BOOST_TEST(finding.at("kind") == "extra_column");
  BOOST_TEST(finding.at("table") == "credentials");
  BOOST_TEST(finding.at("column") == "uuid");
  BOOST_TEST(finding.at("migration") == "20200717083943");
  BOOST_TEST(contains(finding.at("message").get<std::string>(),
                      "credentials.uuid exists but migration 20200717083943"));
}

BOOST_AUTO_TEST_CASE(dropped_index_is_drift) {
  // Without it a lost index (session lookups scanning the whole table) would pass as healthy.
  FixtureInstall install("20210727210551", "20");
  install.execute("DROP INDEX index_authie_sessions_on_token ON authie_sessions");
  const auto result = install.schema("check");
  BOOST_TEST(result.exit_code == 4, result.out << result.err);
  BOOST_TEST(contains(result.out, "index authie_sessions.index_authie_sessions_on_token"),
             result.out);
}

BOOST_AUTO_TEST_CASE(message_database_of_the_2020_renumbering_is_drift) {
  // Without it a message database still on utf8 tables would pass as level 20, and mail with
  // 4-byte characters (emoji) would fail to store.
  FixtureInstall install("20210727210551", "20-from-19-legacy");
  const auto result = install.schema("check");
  BOOST_TEST(result.exit_code == 4, result.out << result.err);
  BOOST_TEST(contains(result.out,
                      "recorded level 20 but tables are still utf8: migration 19 (utf8mb4 "
                      "conversion) never ran — the 2020 renumbering"),
             result.out);
}

BOOST_AUTO_TEST_CASE(older_level_against_a_release_has_pending_migrations) {
  // Without it a 1.x install checked against 2.1.4 would look ready, and Postal 2.1.4 would
  // start without credentials.uuid.
  FixtureInstall install("20180216114344", "18");
  const auto result = install.schema("check", {"--target-version", "2.1.4", "--json"});
  BOOST_TEST(result.exit_code == 3, result.out << result.err);
  const auto json = nlohmann::json::parse(result.out);
  BOOST_TEST(json.at("status") == "migrations_pending");
  BOOST_TEST(json.at("databases")[0].at("pending_migrations")
             == nlohmann::json({"20200717083943", "20210727210551"}));
  BOOST_TEST(json.at("databases")[1].at("pending_migrations") == nlohmann::json({"19", "20"}));
}

BOOST_AUTO_TEST_CASE(unknown_target_version_is_refused_with_the_list) {
  // Without it a typo in --target-version would silently check against nothing.
  FixtureInstall install("20210727210551", "20");
  const auto result = install.schema("check", {"--target-version", "2.9.9"});
  BOOST_TEST(result.exit_code == 5, result.out << result.err);
  BOOST_TEST(contains(result.err, "2.1.4"), result.err);
}

BOOST_AUTO_TEST_CASE(schema_hash_prints_each_database_and_the_canonical_text) {
  // Without it two servers could not be compared with diff, and a user could not see which
  // database's schema differs.
  FixtureInstall install("20210727210551", "20");
  const auto hashes = install.schema("hash");
  BOOST_TEST_REQUIRE(hashes.exit_code == 0, hashes.err);
  BOOST_TEST(contains(hashes.out, "  " + install.main_db() + "\n"), hashes.out);
  BOOST_TEST(contains(hashes.out, "  " + install.message_db() + "\n"), hashes.out);
  BOOST_TEST(hashes.out.substr(64, 2) == "  "); // sha256sum's layout

  const auto main = install.schema("hash", {"--canonical"});
  BOOST_TEST(main.exit_code == 0);
  BOOST_TEST(main.out
             == std::string(*pbk::postal::expected_canonical("schema/main/20210727210551.sql")));
  const auto message = install.schema("hash", {"--canonical", "--database", install.message_db()});
  BOOST_TEST(message.out
             == std::string(*pbk::postal::expected_canonical("schema/message_db/20.sql")));
}

BOOST_AUTO_TEST_SUITE_END()
