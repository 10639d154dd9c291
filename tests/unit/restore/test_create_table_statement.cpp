// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "restore/create_table_statement.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace pbk;
using restore::checked_create_table;
using restore::CreateTableOptions;

namespace {

// SHOW CREATE TABLE of a Postal 1.x raw message table on MariaDB 10.11, as the backup stores it.
const std::string k_raw_table = "CREATE TABLE `raw-2026-01-01` (\n"
                                "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                                "  `data` longblob DEFAULT NULL,\n"
                                "  `next` int(11) DEFAULT NULL,\n"
                                "  PRIMARY KEY (`id`)\n"
                                ") ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb3 "
                                "COLLATE=utf8mb3_general_ci";

// The head of Postal's main `servers` table and its options, as MariaDB 10.11 prints them.
const std::string k_servers = "CREATE TABLE `servers` (\n"
                              "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                              "  `uuid` varchar(255) DEFAULT NULL,\n"
                              "  `created_at` datetime(6) DEFAULT NULL,\n"
                              "  `spam_threshold` decimal(8,2) DEFAULT NULL,\n"
                              "  `allow_sender` tinyint(1) DEFAULT 0,\n"
                              "  PRIMARY KEY (`id`),\n"
                              "  KEY `index_servers_on_uuid` (`uuid`(8))\n"
                              ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

const CreateTableOptions k_plain{};
const CreateTableOptions k_dynamic{true};

// A minimal table `t` with the given text after its column list.
std::string table_t(const std::string& after) {
  return "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n)" + after;
}

std::string accepted(const std::string& sql,
                     const std::string& table = "t",
                     const CreateTableOptions& options = k_plain) {
  return checked_create_table(sql, table, options, "x.tar").sql;
}

void expect_refused(const std::string& sql,
                    const std::string& why,
                    const std::string& table = "t") {
  BOOST_TEST_CONTEXT(sql) {
    try {
      (void)checked_create_table(sql, table, k_dynamic, "x.tar");
      BOOST_ERROR("accepted, expected: " + why);
    } catch (const core::IntegrityError& e) {
      const std::string message = e.what();
      BOOST_TEST(
          message.starts_with("x.tar: schema of " + table + " is not a plain CREATE TABLE: "),
          message);
      BOOST_TEST(message.find(why) != std::string::npos, message);
      BOOST_TEST(message.find('\n') == std::string::npos, message);
    }
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(CreateTableStatement)

// Lost if it failed: no Postal archive could be restored, since every table's schema is
// checked before it is created.
BOOST_AUTO_TEST_CASE(real_postal_statements_pass_unchanged_without_the_semicolon) {
  BOOST_TEST(accepted(k_raw_table + ";\n", "raw-2026-01-01") == k_raw_table);
  BOOST_TEST(accepted(k_servers + ";\n", "servers") == k_servers);
  BOOST_TEST(accepted(k_servers, "servers") == k_servers);
  const auto checked = checked_create_table(k_servers + ";\n", "servers", k_plain, "x.tar");
  BOOST_TEST(!checked.row_format_changed);
  BOOST_TEST(checked.previous_row_format.empty());
}

// Lost if it failed: some table of some Postal schema level could not be restored.
BOOST_AUTO_TEST_CASE(every_fixture_table_of_every_postal_level_is_accepted) {
  const auto root = std::filesystem::path(PBK_SOURCE_DIR) / "tests/fixtures/postal/schema";
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".sql") {
      continue;
    }
    const std::string text = read_file(entry.path());
    for (auto begin = text.find("CREATE TABLE `"); begin != std::string::npos;
         begin = text.find("CREATE TABLE `", begin + 1)) {
      const auto name_end = text.find("` ", begin + 14);
      const auto end = text.find(";\n", begin);
      const std::string table = text.substr(begin + 14, name_end - begin - 14);
      const std::string sql = text.substr(begin, end - begin);
      BOOST_TEST_CONTEXT(entry.path().filename() << " " << table) {
        BOOST_CHECK_NO_THROW(BOOST_TEST(accepted(sql + ";\n", table) == sql));
      }
      ++checked;
    }
  }
  BOOST_TEST(checked > 100);
}

// Lost if it failed: tables whose comments, defaults or names hold quotes, parentheses or
// semicolons (all legal, all printed by SHOW CREATE TABLE) would be refused.
BOOST_AUTO_TEST_CASE(quotes_comments_and_odd_names_are_read_like_the_server) {
  const std::string odd = "CREATE TABLE `a``b;c)` (\n"
                          "  `x;)` varchar(10) DEFAULT 'it''s; a ) \\\\' COMMENT 'q\"\\n(',\n"
                          "  `d` datetime /* mariadb-5.3 */ DEFAULT NULL,\n"
                          "  `e` int(11) GENERATED ALWAYS AS ((`d` + 1)) VIRTUAL\n"
                          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='a;b) ''c'' /* d'";
  BOOST_TEST(accepted(odd + ";\n", "a`b;c)") == odd);
  const std::string spaced = table_t(" ENGINE=InnoDB") + " ; \n\n";
  BOOST_TEST(accepted(spaced) == table_t(" ENGINE=InnoDB"));
}

// Lost if it failed: tables using other options SHOW CREATE TABLE prints (encryption, page
// compression, statistics, Aria and MyISAM settings) could not be restored.
BOOST_AUTO_TEST_CASE(every_known_table_option_is_accepted) {
  const std::string innodb =
      table_t(" ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
              " STATS_PERSISTENT=1 STATS_AUTO_RECALC=0 STATS_SAMPLE_PAGES=20 KEY_BLOCK_SIZE=8"
              " ROW_FORMAT=COMPRESSED COMMENT='x' `encrypted`='yes' `ENCRYPTION_KEY_ID`=2"
              " `page_compressed`='1' `page_compression_level`='6'");
  BOOST_TEST(accepted(innodb) == innodb);
  const std::string aria = table_t(" ENGINE=Aria CHARSET=latin1 PAGE_CHECKSUM=1 TRANSACTIONAL=1"
                                   " CHECKSUM=1 PACK_KEYS=0 DELAY_KEY_WRITE=1 MAX_ROWS=100"
                                   " MIN_ROWS=1 AVG_ROW_LENGTH=50 CHARACTER SET=utf8mb4");
  BOOST_TEST(accepted(aria) == aria);
  BOOST_TEST(accepted(table_t(" ENGINE=MyISAM")) == table_t(" ENGINE=MyISAM"));
  BOOST_TEST(accepted(table_t(" ENGINE=MEMORY")) == table_t(" ENGINE=MEMORY"));
  BOOST_TEST(accepted(table_t(" ENGINE=InnoDB SEQUENCE=1"))
             == table_t(" ENGINE=InnoDB SEQUENCE=1"));
}

// Lost if it failed: Postal 3.x migrations would fail on tables restored as COMPACT.
BOOST_AUTO_TEST_CASE(force_dynamic_rewrites_compact_and_redundant_innodb_tables) {
  const auto compact = checked_create_table(
      table_t(" ENGINE=InnoDB ROW_FORMAT=COMPACT COMMENT='x'"), "t", k_dynamic, "a");
  BOOST_TEST(compact.sql == table_t(" ENGINE=InnoDB ROW_FORMAT=DYNAMIC COMMENT='x'"));
  BOOST_TEST(compact.row_format_changed);
  BOOST_TEST(compact.previous_row_format == "COMPACT");
  const auto redundant =
      checked_create_table(table_t(" ENGINE=InnoDB ROW_FORMAT=Redundant;\n"), "t", k_dynamic, "a");
  BOOST_TEST(redundant.sql == table_t(" ENGINE=InnoDB ROW_FORMAT=DYNAMIC"));
  BOOST_TEST(redundant.previous_row_format == "REDUNDANT");
  // A comment naming a row format is text, not an option: the real one is added.
  const auto unnamed = checked_create_table(
      table_t(" ENGINE=InnoDB COMMENT='ROW_FORMAT=COMPACT';\n"), "t", k_dynamic, "a");
  BOOST_TEST(unnamed.sql
             == table_t(" ENGINE=InnoDB COMMENT='ROW_FORMAT=COMPACT' ROW_FORMAT=DYNAMIC"));
  BOOST_TEST(unnamed.row_format_changed);
  BOOST_TEST(unnamed.previous_row_format.empty());
}

// Lost if it failed: the rewrite would touch tables it must not (other engines, formats that
// already work, restores into Postal 2 and older).
BOOST_AUTO_TEST_CASE(row_format_is_left_alone_where_it_does_not_matter) {
  for (const std::string after : {" ENGINE=InnoDB ROW_FORMAT=DYNAMIC",
                                  " ENGINE=InnoDB ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8",
                                  " ENGINE=MyISAM",
                                  " ENGINE=Aria ROW_FORMAT=PAGE"}) {
    const auto checked = checked_create_table(table_t(after), "t", k_dynamic, "a");
    BOOST_TEST(checked.sql == table_t(after));
    BOOST_TEST(!checked.row_format_changed);
  }
  const auto plain =
      checked_create_table(table_t(" ENGINE=InnoDB ROW_FORMAT=COMPACT"), "t", k_plain, "a");
  BOOST_TEST(plain.sql == table_t(" ENGINE=InnoDB ROW_FORMAT=COMPACT"));
  BOOST_TEST(!plain.row_format_changed);
}

// Lost if it failed: a crafted archive could create or replace a table other than the one it
// claims, or one in another database (the live one).
BOOST_AUTO_TEST_CASE(statements_for_another_table_or_form_are_refused) {
  const std::string start = "it does not start with CREATE TABLE `t` (";
  expect_refused("CREATE TABLE `u` (`id` int) ENGINE=InnoDB", start);
  expect_refused("CREATE TABLE `t`(`id` int) ENGINE=InnoDB", start);
  expect_refused("create table `t` (`id` int) ENGINE=InnoDB", start);
  expect_refused("CREATE TEMPORARY TABLE `t` (`id` int) ENGINE=InnoDB", start);
  expect_refused("CREATE OR REPLACE TABLE `t` (`id` int) ENGINE=InnoDB", start);
  expect_refused("CREATE TABLE IF NOT EXISTS `t` (`id` int) ENGINE=InnoDB", start);
  expect_refused("CREATE TABLE t (`id` int) ENGINE=InnoDB", start);
  expect_refused("CREATE TABLE `t` LIKE `postal`.`servers`", start);
  expect_refused(" CREATE TABLE `t` (`id` int) ENGINE=InnoDB", start);
  expect_refused("DROP DATABASE `postal`", start);
  expect_refused("CREATE TABLE `postal`.`t` (`id` int) ENGINE=InnoDB",
                 "its table name is qualified with a database");
  expect_refused("CREATE TABLE `t` (`id` int) ENGINE=InnoDB", "`a``b` (", "a`b");
  expect_refused("CREATE TABLE `t` (`id` int REFERENCES `postal`.`servers` (`id`)) ENGINE=InnoDB",
                 "it refers to another database (`postal`.)");
  expect_refused("CREATE TABLE `t` (`id` int REFERENCES postal.servers (id)) ENGINE=InnoDB",
                 "it refers to another database (postal.)");
  BOOST_TEST(accepted("CREATE TABLE `t` (`p` decimal(8,2) DEFAULT 1.50) ENGINE=InnoDB")
             == "CREATE TABLE `t` (`p` decimal(8,2) DEFAULT 1.50) ENGINE=InnoDB");
}

// Lost if it failed: a crafted archive could run any SQL after its CREATE TABLE.
BOOST_AUTO_TEST_CASE(a_second_statement_is_refused) {
  const std::string two = "it holds more than one statement";
  expect_refused(table_t(" ENGINE=InnoDB; DROP DATABASE `postal`;\n"), two);
  expect_refused(table_t(" ENGINE=InnoDB;;"), two);
  expect_refused(table_t(" ENGINE=InnoDB; /* */ ;"), two);
  expect_refused("CREATE TABLE `t` (`id` int); DROP DATABASE `postal`; (1) ENGINE=InnoDB", two);
}

// Lost if it failed: SQL hidden in comments or in quoting the server reads differently from the
// check would run unseen.
BOOST_AUTO_TEST_CASE(executable_and_line_comments_and_ambiguous_quoting_are_refused) {
  expect_refused(table_t(" ENGINE=InnoDB /*!50100 PARTITION BY HASH (`id`) PARTITIONS 2 */"),
                 "executable comment (/*!50100 PARTITION");
  expect_refused("CREATE TABLE `t` (`id` int /*M!100301 ); DROP DATABASE x; */) ENGINE=InnoDB",
                 "executable comment (/*M!100301");
  expect_refused(table_t(" ENGINE=InnoDB /*!*/"), "executable comment");
  expect_refused(table_t(" ENGINE=InnoDB # x"), "line comment");
  expect_refused(table_t(" ENGINE=InnoDB -- x"), "line comment");
  expect_refused(table_t(" ENGINE=InnoDB /* never closed"), "a comment is not closed");
  expect_refused(table_t(" ENGINE=InnoDB COMMENT='never closed"), "is not closed");
  expect_refused(table_t(" ENGINE=InnoDB COMMENT='it\\'s'"), "escapes its quote with a backslash");
  std::string with_nul = table_t(" ENGINE=InnoDB");
  with_nul += '\0';
  expect_refused(with_nul + "; DROP DATABASE `postal`", "it holds a NUL byte");
  expect_refused("CREATE TABLE `t` (`id` int, (x) ENGINE=InnoDB", "the column list is not closed");
}

// Lost if it failed: a crafted archive could write files outside the data directory, read
// other tables or reach other servers through table options.
BOOST_AUTO_TEST_CASE(dangerous_or_unknown_table_options_are_refused) {
  expect_refused(table_t(" ENGINE=MyISAM DATA DIRECTORY='/etc'"), "DATA DIRECTORY would put");
  expect_refused(table_t(" ENGINE=MyISAM INDEX DIRECTORY='/etc'"), "INDEX DIRECTORY would put");
  expect_refused(table_t(" ENGINE=MRG_MyISAM UNION=(`a`)"), "ENGINE=MRG_MyISAM is not InnoDB");
  expect_refused(table_t(" UNION=(`a`) ENGINE=MyISAM"), "UNION makes it a MERGE table");
  expect_refused(table_t(" CONNECTION='mysql://u@h/d/t' ENGINE=InnoDB"), "CONNECTION points");
  expect_refused(table_t(" ENGINE=InnoDB SELECT * FROM `mysql`.`user`"), "SELECT fills");
  expect_refused(table_t(" ENGINE=InnoDB AS SELECT 1"), "AS fills");
  expect_refused(table_t(" ENGINE=InnoDB IGNORE SELECT 1"), "IGNORE fills");
  expect_refused(table_t(" ENGINE=InnoDB REPLACE SELECT 1"), "REPLACE fills");
  expect_refused(table_t(" ENGINE=InnoDB PARTITION BY HASH (`id`)"), "partitioned tables");
  expect_refused(table_t(" ENGINE=InnoDB WITH SYSTEM VERSIONING"), "unknown table option WITH");
  expect_refused(table_t(" ENGINE=InnoDB TABLESPACE=x"), "unknown table option TABLESPACE");
  expect_refused(table_t(" ENGINE=InnoDB INSERT_METHOD=LAST"),
                 "unknown table option INSERT_METHOD");
  expect_refused(table_t(" ENGINE=CONNECT"), "ENGINE=CONNECT is not InnoDB");
  expect_refused(table_t(" ENGINE=FEDERATED"), "ENGINE=FEDERATED is not InnoDB");
  expect_refused(table_t(" ENGINE='InnoDB'"), "is not InnoDB");
  expect_refused(table_t(" DEFAULT CHARSET=utf8mb4"), "it names no ENGINE");
  expect_refused(table_t(" ENGINE InnoDB"), "ENGINE is not followed by '='");
  expect_refused(table_t(" ENGINE=InnoDB, ROW_FORMAT=DYNAMIC"), "unexpected , after the column");
  expect_refused(table_t(" ENGINE=InnoDB COMMENT=x"), "the table COMMENT is not a string");
  expect_refused(table_t(" ENGINE=InnoDB ROW_FORMAT=(1)"), "ROW_FORMAT has the value (");
  expect_refused(table_t(" ENGINE=InnoDB DEFAULT ROW_FORMAT=DYNAMIC"),
                 "unknown table option DEFAULT ROW_FORMAT");
}

BOOST_AUTO_TEST_SUITE_END()
