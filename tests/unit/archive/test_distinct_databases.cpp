// SPDX-License-Identifier: MIT
// backup.json's databases map one to one onto live databases; an archive that lists one
// twice, by name, by server id or as a second main database, would merge two databases.
#include "archive/manifest_json.hpp"

#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace pbk::archive;

namespace {

DatabaseInfo database(std::string name, DatabaseRole role, std::optional<int> server_id) {
  DatabaseInfo d;
  d.name = std::move(name);
  d.role = role;
  d.server_id = server_id;
  d.charset = "utf8mb4";
  d.collation = "utf8mb4_general_ci";
  d.schema_hash = std::string(64, 'a');
  d.schema_level = "1";
  return d;
}

BackupInfo info_with(std::vector<DatabaseInfo> databases) {
  BackupInfo info;
  info.tool_version = "0.1.0";
  info.created_at = "2026-11-25T03:00:00Z";
  info.postal.main_schema_level = "20210727210551";
  info.databases = std::move(databases);
  return info;
}

// The text of backup.json with the first server id replaced by `id_text`.
std::string with_server_id(const std::string& id_text) {
  auto text = serialize(info_with({database("postal", DatabaseRole::main, std::nullopt),
                                   database("postal-server-1", DatabaseRole::message, 7)}));
  const auto at = text.find("\"server_id\": 7");
  BOOST_REQUIRE(at != std::string::npos);
  text.replace(at + 13, 1, id_text);
  return text;
}

bool is_integrity_error(const pbk::core::Error& e) {
  return e.code() == pbk::core::ExitCode::integrity;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ManifestDatabases)

// Lost if it failed: two message databases with server id 1 would be loaded into one live
// postal-server-1, mixing two mail servers' messages.
BOOST_AUTO_TEST_CASE(a_server_id_listed_twice_is_an_integrity_error) {
  const auto text = serialize(info_with({database("postal", DatabaseRole::main, std::nullopt),
                                         database("postal-server-1", DatabaseRole::message, 1),
                                         database("postal-server-9", DatabaseRole::message, 1)}));
  BOOST_CHECK_EXCEPTION((void)parse_backup_info(text), pbk::core::Error, is_integrity_error);
}

// Lost if it failed: two main databases would both be restored into the one main database.
BOOST_AUTO_TEST_CASE(a_second_main_database_is_an_integrity_error) {
  const auto text = serialize(info_with({database("postal", DatabaseRole::main, std::nullopt),
                                         database("postal2", DatabaseRole::main, std::nullopt)}));
  BOOST_CHECK_EXCEPTION((void)parse_backup_info(text), pbk::core::Error, is_integrity_error);
}

// Lost if it failed: members of two entries with one name would be loaded into one staging
// database.
BOOST_AUTO_TEST_CASE(a_name_listed_twice_is_an_integrity_error) {
  const auto text = serialize(info_with({database("postal-server-1", DatabaseRole::message, 1),
                                         database("postal-server-1", DatabaseRole::message, 2)}));
  BOOST_CHECK_EXCEPTION((void)parse_backup_info(text), pbk::core::Error, is_integrity_error);
}

// Lost if it failed: a message database without an id would be restored as postal-server-0.
BOOST_AUTO_TEST_CASE(a_message_database_without_server_id_is_an_integrity_error) {
  const auto text = serialize(info_with({database("postal-server-1", DatabaseRole::message, {})}));
  BOOST_CHECK_EXCEPTION((void)parse_backup_info(text), pbk::core::Error, is_integrity_error);
}

// Lost if it failed: 4294967297 would be read as 1 (int wrap-around), and an id that is not
// a positive int would name a live database Postal never uses.
BOOST_AUTO_TEST_CASE(server_ids_outside_int_are_integrity_errors) {
  BOOST_TEST(parse_backup_info(with_server_id("7")).databases.at(1).server_id.value() == 7);
  BOOST_TEST(parse_backup_info(with_server_id("2147483647")).databases.at(1).server_id.value()
             == 2147483647);
  for (const char* bad : {"4294967297", "2147483648", "0", "-1", "1.0", "1e3", "\"1\""}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_CHECK_EXCEPTION(
          (void)parse_backup_info(with_server_id(bad)), pbk::core::Error, is_integrity_error);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
