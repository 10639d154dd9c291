// SPDX-License-Identifier: MIT
// load_schema + schema_hash against the real server, fed with Postal's own DDL from
// tests/fixtures/postal: the same schema reached by different routes (fresh install, or an
// older level plus its migrations) must hash the same, and every schema difference Postal
// cares about must change the hash, since the restore gate trusts exactly this comparison.
#include "postal/schema_hash.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using pbk::core::db::Connection;
using pbk::test::ScratchDatabase;
using pbk::test::test_server;
namespace fs = std::filesystem;

namespace {

const fs::path k_fixtures = fs::path(PBK_SOURCE_DIR) / "tests/fixtures/postal";
const fs::path k_main_schemas = k_fixtures / "schema/main";
const fs::path k_main_migrations = k_fixtures / "migrations/main";
const fs::path k_message_schemas = k_fixtures / "schema/message_db";
const fs::path k_message_migrations = k_fixtures / "migrations/message_db";

enum class Kind { main, message };

struct Loaded {
  std::string hash;
  std::string canonical;
  std::size_t tables = 0;
};

std::string file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Main levels ascending (the names are 14-digit versions, so name order is version order).
std::vector<std::string> main_levels() {
  std::vector<std::string> levels;
  for (const auto& entry : fs::directory_iterator(k_main_schemas)) {
    if (entry.path().extension() == ".sql") {
      levels.push_back(entry.path().stem().string());
    }
  }
  std::sort(levels.begin(), levels.end());
  return levels;
}

// The main migrations with from < version <= to, in version order.
std::vector<fs::path> main_migrations_between(const std::string& from, const std::string& to) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(k_main_migrations)) {
    const auto version = entry.path().stem().string();
    if (version > from && version <= to) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> message_level_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(k_message_schemas)) {
    if (!entry.path().filename().string().starts_with("raw-")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path main_schema(const std::string& level) {
  return k_main_schemas / (level + ".sql");
}

fs::path message_schema(const std::string& name) {
  return k_message_schemas / (name + ".sql");
}

fs::path message_migration(const std::string& name) {
  return k_message_migrations / (name + ".sql");
}

// Rails' db:create: utf8mb4 with the server's default collation for it.
const std::string k_rails_main_charset = "CHARACTER SET utf8mb4";
// Postal's install instructions: CREATE DATABASE postal CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci.
const std::string k_documented_main_charset = "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";

// Loads `files` in order into a fresh database (main: given `main_charset`, by default as Rails
// creates it), runs `extra_sql` statements, and reads the schema back the way a backup does.
Loaded load(Kind kind,
            const std::vector<fs::path>& files,
            const std::vector<std::string>& extra_sql = {},
            const std::string& main_charset = k_rails_main_charset) {
  const auto& server = test_server();
  ScratchDatabase database(server);
  auto connection = database.connect();
  if (kind == Kind::main) {
    connection.execute("ALTER DATABASE " + Connection::quote_identifier(database.name()) + " "
                       + main_charset);
  }
  for (const auto& file : files) {
    pbk::test::run_sql_file(server, database.name(), file);
  }
  for (const auto& sql : extra_sql) {
    connection.execute(sql);
  }
  const auto schema = pbk::postal::load_schema(connection, database.name());
  return {pbk::postal::schema_hash(schema),
          pbk::postal::canonical_schema(schema),
          schema.tables.size()};
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) {
    ++count;
  }
  return count;
}

bool is_hex_digest(const std::string& hash) {
  return hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The canonical lines, each prefixed with its table ("credentials: column<TAB>uuid..."), so a
// failure names the lines that differ instead of printing two whole schemas.
std::vector<std::string> labelled_lines(const std::string& canonical) {
  std::vector<std::string> lines;
  std::string table;
  std::size_t start = 0;
  while (start < canonical.size()) {
    const auto end = canonical.find('\n', start);
    const auto line = canonical.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("table\t")) {
      table = line.substr(6, line.find('\t', 6) - 6);
    }
    lines.push_back(table + ": " + line);
  }
  return lines;
}

// "-" lines only `expected` has, "+" lines only `got` has; empty when both hold the same lines.
std::string line_difference(const std::string& got, const std::string& expected) {
  auto got_lines = labelled_lines(got);
  auto expected_lines = labelled_lines(expected);
  std::sort(got_lines.begin(), got_lines.end());
  std::sort(expected_lines.begin(), expected_lines.end());
  std::vector<std::string> missing, extra;
  std::set_difference(expected_lines.begin(),
                      expected_lines.end(),
                      got_lines.begin(),
                      got_lines.end(),
                      std::back_inserter(missing));
  std::set_difference(got_lines.begin(),
                      got_lines.end(),
                      expected_lines.begin(),
                      expected_lines.end(),
                      std::back_inserter(extra));
  std::string out;
  for (const auto& line : missing) {
    out += "\n-" + line;
  }
  for (const auto& line : extra) {
    out += "\n+" + line;
  }
  return out;
}

// The lines of one table's block, table line included.
std::vector<std::string> table_block(const std::string& canonical, const std::string& table) {
  std::vector<std::string> lines;
  for (const auto& line : labelled_lines(canonical)) {
    if (line.starts_with(table + ": ")) {
      lines.push_back(line.substr(table.size() + 2));
    }
  }
  return lines;
}

// A sample raw table under another day's name, as Postal creates one every day.
fs::path raw_table_for_day(const pbk::test::TempDir& dir,
                           const std::string& variant,
                           const std::string& day) {
  auto sql = file_text(message_schema("raw-2026-01-01." + variant));
  for (auto pos = sql.find("2026-01-01"); pos != std::string::npos;
       pos = sql.find("2026-01-01", pos)) {
    sql.replace(pos, 10, day);
  }
  const auto file = dir / ("raw-" + day + "." + variant + ".sql");
  std::ofstream(file, std::ios::binary) << sql;
  return file;
}

void check_loads_and_hashes(Kind kind, const fs::path& file) {
  BOOST_TEST_CONTEXT(file.filename()) {
    const auto first = load(kind, {file});
    const auto second = load(kind, {file});
    BOOST_TEST(is_hex_digest(first.hash), first.hash);
    // Every CREATE TABLE of the file shows up, none is lost by the loader.
    BOOST_TEST(first.tables == count_of(file_text(file), "CREATE TABLE `"));
    BOOST_TEST(first.hash == second.hash);
    BOOST_TEST(line_difference(first.canonical, second.canonical) == "");
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(SchemaHashOnServer,
                      *boost::unit_test::precondition(pbk::test::require_server))

BOOST_AUTO_TEST_CASE(every_main_level_loads_and_hashes_the_same_in_any_database) {
  // Without it a backup of any Postal release could fail to record its schema, or record a
  // hash that depends on the database name, so no restore target would ever match it.
  const auto levels = main_levels();
  BOOST_TEST_REQUIRE(levels.size() >= 10U);
  for (const auto& level : levels) {
    check_loads_and_hashes(Kind::main, main_schema(level));
  }
}

BOOST_AUTO_TEST_CASE(every_message_level_loads_and_hashes_the_same_in_any_database) {
  // Without it the per-server message databases (postal-server-<id>) of some Postal era could
  // not be backed up with a schema hash, or each server's database would hash differently.
  const auto files = message_level_files();
  BOOST_TEST_REQUIRE(files.size() >= 6U);
  for (const auto& file : files) {
    check_loads_and_hashes(Kind::message, file);
  }
}

BOOST_AUTO_TEST_CASE(main_database_collation_of_postal_docs_keeps_the_hash) {
  // Without it a backup of an install created as Postal's docs say (utf8mb4_unicode_ci) would
  // never match a restore target created by Rails' db:create (the server default), though Rails'
  // schema_migrations and ar_internal_metadata are the only tables that take that default.
  auto connection = Connection::connect(test_server().root_options());
  const auto server_default =
      connection.query_value("SELECT DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS"
                             " WHERE CHARACTER_SET_NAME = 'utf8mb4'");
  BOOST_TEST_REQUIRE(server_default.value_or("") != "utf8mb4_unicode_ci");
  for (const auto& level : main_levels()) {
    BOOST_TEST_CONTEXT(level) {
      const auto by_rails = load(Kind::main, {main_schema(level)});
      const auto by_docs = load(Kind::main, {main_schema(level)}, {}, k_documented_main_charset);
      BOOST_TEST(by_docs.hash == by_rails.hash);
      BOOST_TEST(line_difference(by_docs.canonical, by_rails.canonical) == "");
    }
  }
}

BOOST_AUTO_TEST_CASE(rails_5_utf8_key_columns_keep_the_hash) {
  // Without it every Postal install created in 2017 to early 2018 (Rails 5.0/5.1 made the key
  // columns of its bookkeeping tables utf8) would hash unlike the same release today, and its
  // backups would never pass the restore gate.
  const auto level = std::string("20210727210551");
  const auto today = load(Kind::main, {main_schema(level)});
  const auto from_rails_5 =
      load(Kind::main,
           {main_schema(level)},
           {"ALTER TABLE schema_migrations MODIFY version varchar(255) CHARACTER SET utf8 COLLATE "
            "utf8_unicode_ci NOT NULL",
            "ALTER TABLE ar_internal_metadata MODIFY `key` varchar(255) CHARACTER SET utf8 COLLATE "
            "utf8_unicode_ci NOT NULL"},
           k_documented_main_charset);
  BOOST_TEST(from_rails_5.hash == today.hash);
  BOOST_TEST(line_difference(from_rails_5.canonical, today.canonical) == "");
}

BOOST_AUTO_TEST_CASE(main_level_plus_its_migrations_hashes_like_the_next_level) {
  // Without it a database upgraded with `postal upgrade` would not match a fresh install of
  // the same release, and the restore gate would refuse a correct restore (or a user would
  // learn to ignore it).
  const auto levels = main_levels();
  for (std::size_t i = 0; i + 1 < levels.size(); ++i) {
    const auto& from = levels[i];
    const auto& to = levels[i + 1];
    BOOST_TEST_CONTEXT(from << " + migrations -> " << to) {
      auto files = main_migrations_between(from, to);
      BOOST_TEST_REQUIRE(!files.empty());
      files.insert(files.begin(), main_schema(from));
      const auto migrated = load(Kind::main, files);
      const auto fresh = load(Kind::main, {main_schema(to)});
      BOOST_TEST(migrated.hash == fresh.hash);
      BOOST_TEST(line_difference(migrated.canonical, fresh.canonical) == "");
    }
  }
}

BOOST_AUTO_TEST_CASE(message_level_plus_its_migrations_hashes_like_the_provisioned_level) {
  // Without it a message database migrated in place would not match one provisioned at that
  // level, and restoring a correctly upgraded server would be refused.
  const auto fresh_20 = load(Kind::message, {message_schema("20")});
  const auto from_19 = load(Kind::message, {message_schema("19"), message_migration("20")});
  BOOST_TEST(from_19.hash == fresh_20.hash);
  BOOST_TEST(line_difference(from_19.canonical, fresh_20.canonical) == "");

  const auto from_18 =
      load(Kind::message, {message_schema("18"), message_migration("19"), message_migration("20")});
  const auto upgraded = load(Kind::message, {message_schema("20-upgraded-from-18")});
  BOOST_TEST(from_18.hash == upgraded.hash);
  BOOST_TEST(line_difference(from_18.canonical, upgraded.canonical) == "");

  const auto legacy_19 =
      load(Kind::message,
           {message_schema("18"), message_migration("19-legacy-increase_links_url_size")});
  BOOST_TEST(legacy_19.hash == load(Kind::message, {message_schema("19-legacy")}).hash);
  const auto legacy_20 =
      load(Kind::message, {message_schema("19-legacy"), message_migration("20")});
  BOOST_TEST(legacy_20.hash == load(Kind::message, {message_schema("20-from-19-legacy")}).hash);
}

BOOST_AUTO_TEST_CASE(different_message_schemas_hash_differently) {
  // Without it a message database still on utf8 tables, or with the widened mediumtext
  // columns, would pass for a fresh level 20, and the restore gate could not tell them apart.
  const auto fresh_20 = load(Kind::message, {message_schema("20")});
  const auto upgraded = load(Kind::message, {message_schema("20-upgraded-from-18")});
  const auto legacy = load(Kind::message, {message_schema("20-from-19-legacy")});
  BOOST_TEST(upgraded.hash != fresh_20.hash);
  BOOST_TEST(legacy.hash != fresh_20.hash);
  BOOST_TEST(legacy.hash != upgraded.hash);
  const auto body = table_block(upgraded.canonical, "webhook_requests");
  BOOST_TEST(std::any_of(body.begin(), body.end(), [](const std::string& line) {
    return line.starts_with("column\tbody\tmediumtext\t");
  }));
}

BOOST_AUTO_TEST_CASE(consecutive_main_levels_hash_differently) {
  // Without it a main database one migration behind would pass the restore gate, and Postal
  // would start on a schema it does not expect.
  const auto levels = main_levels();
  auto previous = load(Kind::main, {main_schema(levels.front())});
  for (std::size_t i = 1; i < levels.size(); ++i) {
    BOOST_TEST_CONTEXT(levels[i - 1] << " vs " << levels[i]) {
      auto current = load(Kind::main, {main_schema(levels[i])});
      BOOST_TEST(current.hash != previous.hash);
      previous = std::move(current);
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_credentials_uuid_changes_the_hash) {
  // Without it the known incident repeats: a database without credentials.uuid restored
  // under a release that addresses credentials by uuid, and every credential page breaks.
  const std::string level = "20200717083943";
  const auto intact = load(Kind::main, {main_schema(level)});
  const auto without_uuid =
      load(Kind::main, {main_schema(level)}, {"ALTER TABLE `credentials` DROP COLUMN `uuid`"});
  BOOST_TEST(without_uuid.hash != intact.hash);

  const auto has_uuid = [](const std::vector<std::string>& lines) {
    return std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
      return line.starts_with("column\tuuid\tvarchar(255)\tnull\t\\N\t\t");
    });
  };
  BOOST_TEST(has_uuid(table_block(intact.canonical, "credentials")));
  BOOST_TEST(!has_uuid(table_block(without_uuid.canonical, "credentials")));
}

BOOST_AUTO_TEST_CASE(another_day_raw_table_keeps_the_hash) {
  // Without it a message database would hash differently every day Postal adds a raw table,
  // and no backup older than a day could pass the restore gate.
  const pbk::test::TempDir dir;
  const auto day_1 = message_schema("raw-2026-01-01.longblob-utf8mb4");
  const auto day_2 = raw_table_for_day(dir, "longblob-utf8mb4", "2026-01-02");
  const auto one_day = load(Kind::message, {message_schema("20"), day_1});
  const auto two_days = load(Kind::message, {message_schema("20"), day_1, day_2});
  BOOST_TEST(two_days.tables == one_day.tables + 1);
  BOOST_TEST(two_days.hash == one_day.hash);
  BOOST_TEST(line_difference(two_days.canonical, one_day.canonical) == "");
}

BOOST_AUTO_TEST_CASE(raw_table_of_another_definition_changes_the_hash) {
  // Without it a database whose raw tables are still mediumblob (16 MiB messages at most)
  // would pass for one with longblob, and the restore gate could not tell the two apart.
  const auto medium =
      load(Kind::message, {message_schema("18"), message_schema("raw-2026-01-01.mediumblob-utf8")});
  const auto longblob =
      load(Kind::message, {message_schema("18"), message_schema("raw-2026-01-01.longblob-utf8")});
  BOOST_TEST(medium.hash != longblob.hash);
  const auto raw = table_block(medium.canonical, "raw-*");
  BOOST_TEST(std::any_of(raw.begin(), raw.end(), [](const std::string& line) {
    return line.starts_with("column\tdata\tmediumblob\t");
  }));
}

BOOST_AUTO_TEST_SUITE_END()
