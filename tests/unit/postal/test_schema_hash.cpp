// SPDX-License-Identifier: MIT
// canonical_schema: the text whose SHA-256 is the schema hash. Inputs mimic what
// information_schema reports on MariaDB 10.11 and on MySQL 8 for the same Postal tables.
#include "postal/schema_hash.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace pbk::postal;

namespace {

ColumnInfo column(std::string name,
                  std::string type,
                  bool nullable,
                  std::optional<std::string> default_value,
                  std::string extra = "",
                  std::string charset = "",
                  std::string collation = "") {
  return {std::move(name),
          std::move(type),
          nullable,
          std::move(default_value),
          std::move(extra),
          std::move(charset),
          std::move(collation)};
}

TableInfo raw_table(std::string name, const std::string& blob_type) {
  return {std::move(name),
          "InnoDB",
          "utf8mb4_general_ci",
          {column("id", "int(11)", false, std::nullopt, "auto_increment"),
           column("data", blob_type, true, "NULL"),
           column("next", "int(11)", true, "NULL")},
          {{"PRIMARY", true, {{"id", std::nullopt}}, "BTREE"}}};
}

// Postal's users table and a raw table as MariaDB 10.11 reports them.
SchemaInfo mariadb_schema() {
  SchemaInfo schema{"postal", "utf8mb4", "utf8mb4_general_ci", {}, true};
  schema.tables.push_back(
      {"users",
       "InnoDB",
       "utf8_unicode_ci",
       {column("id", "int(11)", false, std::nullopt, "auto_increment"),
        column("email_address", "varchar(255)", true, "NULL", "", "utf8", "utf8_unicode_ci"),
        column("admin", "tinyint(1)", true, "0"),
        column("time_zone", "varchar(255)", true, "'UTC'", "", "utf8", "utf8_unicode_ci"),
        column(
            "seen_at", "timestamp", false, "current_timestamp()", "on update current_timestamp()"),
        column("storage", "bigint(20) unsigned", false, "0")},
       {{"PRIMARY", true, {{"id", std::nullopt}}, "BTREE"},
        {"index_users_on_email_address", false, {{"email_address", 8}}, "BTREE"}}});
  schema.tables.push_back(raw_table("raw-2026-01-01", "longblob"));
  return schema;
}

// The same schema as MySQL 8.0 reports it: no display widths, raw defaults, SQL NULL for a
// NULL default, DEFAULT_GENERATED, utf8mb3 names, different column order, different DB default.
SchemaInfo mysql_schema() {
  SchemaInfo schema{"postal", "utf8mb4", "utf8mb4_0900_ai_ci", {}, false};
  schema.tables.push_back(raw_table("raw-2026-01-01", "longblob"));
  for (auto& c : schema.tables.back().columns) {
    c.column_type = c.column_type == "int(11)" ? "int" : c.column_type;
    c.default_value = std::nullopt;
  }
  schema.tables.push_back(
      {"users",
       "InnoDB",
       "utf8mb3_unicode_ci",
       {column("storage", "bigint unsigned", false, "0"),
        column("seen_at",
               "timestamp",
               false,
               "CURRENT_TIMESTAMP",
               "DEFAULT_GENERATED on update CURRENT_TIMESTAMP"),
        column("time_zone", "varchar(255)", true, "UTC", "", "utf8mb3", "utf8mb3_unicode_ci"),
        column("admin", "tinyint(1)", true, "0"),
        column("email_address",
               "varchar(255)",
               true,
               std::nullopt,
               "",
               "utf8mb3",
               "utf8mb3_unicode_ci"),
        column("id", "int", false, std::nullopt, "auto_increment")},
       {{"index_users_on_email_address", false, {{"email_address", 8}}, "BTREE"},
        {"PRIMARY", true, {{"id", std::nullopt}}, "BTREE"}}});
  return schema;
}

TableInfo& table_named(SchemaInfo& schema, const std::string& name) {
  return *std::find_if(schema.tables.begin(), schema.tables.end(), [&](const TableInfo& t) {
    return t.name == name;
  });
}

ColumnInfo& column_named(TableInfo& table, const std::string& name) {
  return *std::find_if(table.columns.begin(), table.columns.end(), [&](const ColumnInfo& c) {
    return c.name == name;
  });
}

} // namespace

BOOST_AUTO_TEST_SUITE(SchemaHash)

BOOST_AUTO_TEST_CASE(golden_canonical_text) {
  // Lost if this fails: the hash format of docs/format.md drifts silently, so hashes recorded
  // in older archives stop matching the same schema today.
  const std::string expected =
      "pbk-schema\t1\n"
      "table\traw-*\tInnoDB\tutf8mb4_general_ci\n"
      "column\tdata\tlongblob\tnull\t\\N\t\t\\N\t\\N\n"
      "column\tid\tint\tnot-null\t\\N\tauto_increment\t\\N\t\\N\n"
      "column\tnext\tint\tnull\t\\N\t\t\\N\t\\N\n"
      "index\tPRIMARY\tunique\tBTREE\tid\t\\N\n"
      "table\tusers\tInnoDB\tutf8mb3_unicode_ci\n"
      "column\tadmin\ttinyint\tnull\t0\t\t\\N\t\\N\n"
      "column\temail_address\tvarchar(255)\tnull\t\\N\t\tutf8mb3\tutf8mb3_unicode_ci\n"
      "column\tid\tint\tnot-null\t\\N\tauto_increment\t\\N\t\\N\n"
      "column\tseen_at\ttimestamp\tnot-null\tCURRENT_TIMESTAMP\ton update CURRENT_TIMESTAMP"
      "\t\\N\t\\N\n"
      "column\tstorage\tbigint unsigned\tnot-null\t0\t\t\\N\t\\N\n"
      "column\ttime_zone\tvarchar(255)\tnull\tUTC\t\tutf8mb3\tutf8mb3_unicode_ci\n"
      "index\tPRIMARY\tunique\tBTREE\tid\t\\N\n"
      "index\tindex_users_on_email_address\tnon-unique\tBTREE\temail_address\t8\n";
  BOOST_TEST(canonical_schema(mariadb_schema()) == expected);
}

BOOST_AUTO_TEST_CASE(mariadb_and_mysql_agree) {
  // Lost if this fails: a backup taken on MySQL looks like a different schema on MariaDB, and
  // a restore between them is refused or the gate never opens.
  BOOST_TEST(canonical_schema(mariadb_schema()) == canonical_schema(mysql_schema()));
}

BOOST_AUTO_TEST_CASE(column_order_does_not_matter) {
  // Lost if this fails: a database that got its columns by ALTER ... ADD (appended) is told
  // apart from a freshly loaded one with the same columns, and the migration gate never passes.
  auto schema = mariadb_schema();
  auto& columns = table_named(schema, "users").columns;
  std::reverse(columns.begin(), columns.end());
  std::reverse(schema.tables.begin(), schema.tables.end());
  BOOST_TEST(canonical_schema(schema) == canonical_schema(mariadb_schema()));
}

BOOST_AUTO_TEST_CASE(raw_tables_collapse_per_definition) {
  // Lost if this fails: the schema hash changes every day Postal creates a raw table, so every
  // backup looks like a schema change.
  auto more_days = mariadb_schema();
  more_days.tables.push_back(raw_table("raw-2026-01-02", "longblob"));
  more_days.tables.push_back(raw_table("raw-2026-01-03", "longblob"));
  BOOST_TEST(canonical_schema(more_days) == canonical_schema(mariadb_schema()));

  // A raw table of an older definition is a real difference and is listed once more.
  more_days.tables.push_back(raw_table("raw-2017-06-01", "mediumblob"));
  const auto text = canonical_schema(more_days);
  BOOST_TEST(text != canonical_schema(mariadb_schema()));
  BOOST_TEST(text.find("column\tdata\tmediumblob\t") != std::string::npos);
  BOOST_TEST(text.find("raw-2026") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(real_differences_change_the_text) {
  // Lost if this fails: a database missing a migration (a changed type, nullability or index)
  // hashes like the expected schema, and a broken restore is declared finished.
  const auto base = canonical_schema(mariadb_schema());
  auto changed_type = mariadb_schema();
  column_named(table_named(changed_type, "users"), "time_zone").column_type = "text";
  BOOST_TEST(canonical_schema(changed_type) != base);

  auto changed_null = mariadb_schema();
  column_named(table_named(changed_null, "users"), "admin").nullable = false;
  BOOST_TEST(canonical_schema(changed_null) != base);

  auto changed_prefix = mariadb_schema();
  table_named(changed_prefix, "users").indexes[1].columns[0].second = std::nullopt;
  BOOST_TEST(canonical_schema(changed_prefix) != base);

  auto changed_unique = mariadb_schema();
  table_named(changed_unique, "users").indexes[1].unique = true;
  BOOST_TEST(canonical_schema(changed_unique) != base);

  auto changed_collation = mariadb_schema();
  table_named(changed_collation, "users").collation = "utf8mb4_unicode_ci";
  BOOST_TEST(canonical_schema(changed_collation) != base);
}

BOOST_AUTO_TEST_CASE(database_default_collation_is_ignored) {
  // Lost if this fails: the main DB's hash depends on the server's default collation, which
  // Rails' db:create leaves to the server, so equal schemas on two servers differ.
  auto other = mariadb_schema();
  other.charset = "latin1";
  other.collation = "latin1_swedish_ci";
  BOOST_TEST(canonical_schema(other) == canonical_schema(mariadb_schema()));
}

BOOST_AUTO_TEST_CASE(ar_internal_metadata_precision_is_ignored) {
  // Lost if this fails: a Postal database created under Rails 5 (datetime) never matches the
  // schema of a release built with Rails 6+ (datetime(6)), though Rails never alters the table.
  auto with_precision = [](const std::string& type) {
    SchemaInfo schema{"postal", "utf8mb4", "utf8mb4_general_ci", {}, true};
    schema.tables.push_back({"ar_internal_metadata",
                             "InnoDB",
                             "utf8mb4_general_ci",
                             {column("created_at", type, false, std::nullopt)},
                             {}});
    return canonical_schema(schema);
  };
  BOOST_TEST(with_precision("datetime") == with_precision("datetime(6)"));
  BOOST_TEST(with_precision("datetime") != with_precision("varchar(6)"));
}

BOOST_AUTO_TEST_CASE(rails_bookkeeping_collations_are_ignored) {
  // Lost if this fails: a healthy Postal install whose database was created as Postal's docs
  // say (utf8mb4_unicode_ci), or under Rails 5.0/5.1 (utf8mb3 key columns), is reported as
  // drifted by `schema check` and never matches a backup's hash at restore.
  const auto rails_tables = [](const std::string& table_collation,
                               const std::string& key_charset,
                               const std::string& key_collation) {
    SchemaInfo schema{"postal", "utf8mb4", table_collation, {}, true};
    schema.tables.push_back(
        {"schema_migrations",
         "InnoDB",
         table_collation,
         {column("version", "varchar(255)", false, std::nullopt, "", key_charset, key_collation)},
         {{"PRIMARY", true, {{"version", std::nullopt}}, "BTREE"}}});
    schema.tables.push_back(
        {"ar_internal_metadata",
         "InnoDB",
         table_collation,
         {column("key", "varchar(255)", false, std::nullopt, "", key_charset, key_collation),
          column("value", "varchar(255)", true, "NULL", "", "utf8mb4", table_collation),
          column("created_at", "datetime", false, std::nullopt)},
         {{"PRIMARY", true, {{"key", std::nullopt}}, "BTREE"}}});
    return canonical_schema(schema);
  };
  const auto server_default = rails_tables("utf8mb4_general_ci", "utf8mb4", "utf8mb4_general_ci");
  BOOST_TEST(server_default == rails_tables("utf8mb4_unicode_ci", "utf8mb4", "utf8mb4_unicode_ci"));
  BOOST_TEST(server_default == rails_tables("utf8mb4_general_ci", "utf8", "utf8_general_ci"));
  BOOST_TEST(server_default == rails_tables("utf8mb4_unicode_ci", "utf8", "utf8_unicode_ci"));
  BOOST_TEST(server_default == rails_tables("utf8mb4_0900_ai_ci", "utf8mb3", "utf8mb3_general_ci"));
  BOOST_TEST(server_default.find("table\tschema_migrations\tInnoDB\t\\N\n") != std::string::npos);
  BOOST_TEST(server_default.find("column\tversion\tvarchar(255)\tnot-null\t\\N\t\t\\N\t\\N\n")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rails_bookkeeping_keeps_everything_but_collations) {
  // Lost if this fails: a schema_migrations or ar_internal_metadata whose key column was
  // changed or lost its primary key (so Rails could record a migration twice) hashes as healthy.
  const auto with = [](const std::string& type, bool unique) {
    SchemaInfo schema{"postal", "utf8mb4", "utf8mb4_general_ci", {}, true};
    schema.tables.push_back({"schema_migrations",
                             "InnoDB",
                             "utf8mb4_general_ci",
                             {column("version", type, false, std::nullopt)},
                             {{"PRIMARY", unique, {{"version", std::nullopt}}, "BTREE"}}});
    return canonical_schema(schema);
  };
  BOOST_TEST(with("varchar(255)", true) != with("varchar(191)", true));
  BOOST_TEST(with("varchar(255)", true) != with("varchar(255)", false));
}

BOOST_AUTO_TEST_CASE(collations_of_other_tables_still_count) {
  // Lost if this fails: a Postal table left in utf8mb3 (4-byte characters such as emoji fail to
  // store) would hash like a converted one, because only Rails' own tables are exempt.
  auto converted = mariadb_schema();
  auto& time_zone = column_named(table_named(converted, "users"), "time_zone");
  time_zone.charset = "utf8mb4";
  time_zone.collation = "utf8mb4_unicode_ci";
  BOOST_TEST(canonical_schema(converted) != canonical_schema(mariadb_schema()));
}

BOOST_AUTO_TEST_CASE(defaults_normalise_between_servers) {
  // Lost if this fails: quoted MariaDB defaults or the literal NULL make every column with a
  // default differ from MySQL's report of it.
  const auto col = column("name", "varchar(20)", true, "'it''s \\\\ here'");
  BOOST_TEST(*normalize_default(col, true) == "it's \\ here");
  BOOST_TEST(!normalize_default(column("n", "int(11)", true, "NULL"), true));
  BOOST_TEST(*normalize_default(column("n", "varchar(4)", true, "'NULL'"), true) == "NULL");
  BOOST_TEST(*normalize_default(column("n", "varchar(4)", true, "NULL"), false) == "NULL");
  BOOST_TEST(*normalize_default(column("n", "varchar(4)", true, "''"), true) == "");
  BOOST_TEST(*normalize_default(column("t", "datetime(6)", false, "current_timestamp(6)"), true)
             == "CURRENT_TIMESTAMP(6)");
  BOOST_TEST(*normalize_default(column("t", "varchar(40)", false, "current_timestamp()"), false)
             == "current_timestamp()");
}

BOOST_AUTO_TEST_CASE(types_extras_and_names_normalise) {
  // Lost if this fails: display widths, MySQL's DEFAULT_GENERATED or the utf8 alias make equal
  // schemas hash differently.
  BOOST_TEST(normalize_column_type("int(11)") == "int");
  BOOST_TEST(normalize_column_type("bigint(20) unsigned") == "bigint unsigned");
  BOOST_TEST(normalize_column_type("tinyint(1)") == "tinyint");
  BOOST_TEST(normalize_column_type("year(4)") == "year");
  BOOST_TEST(normalize_column_type("decimal(8,2)") == "decimal(8,2)");
  BOOST_TEST(normalize_column_type("varchar(255)") == "varchar(255)");
  BOOST_TEST(normalize_extra("DEFAULT_GENERATED") == "");
  BOOST_TEST(normalize_extra("on update current_timestamp(6)") == "on update CURRENT_TIMESTAMP(6)");
  BOOST_TEST(normalize_extra("VIRTUAL GENERATED") == "virtual generated");
  BOOST_TEST(normalize_charset_name("utf8") == "utf8mb3");
  BOOST_TEST(normalize_charset_name("utf8_general_ci") == "utf8mb3_general_ci");
  BOOST_TEST(normalize_charset_name("utf8mb4_general_ci") == "utf8mb4_general_ci");
  BOOST_TEST(is_raw_table_name("raw-2026-01-31"));
  BOOST_TEST(!is_raw_table_name("raw_message_sizes"));
  BOOST_TEST(!is_raw_table_name("raw-2026-01-3x"));
}

BOOST_AUTO_TEST_CASE(names_are_escaped) {
  // Lost if this fails: a name holding a TAB or newline could make two different schemas
  // produce the same canonical text.
  SchemaInfo schema{"x", "", "", {}, false};
  schema.tables.push_back({"a\tb", "InnoDB", "", {column("c\nd", "int", true, std::nullopt)}, {}});
  const auto text = canonical_schema(schema);
  BOOST_TEST(
      text == "pbk-schema\t1\ntable\ta\\tb\tInnoDB\t\ncolumn\tc\\nd\tint\tnull\t\\N\t\t\\N\t\\N\n");
}

BOOST_AUTO_TEST_SUITE_END()
