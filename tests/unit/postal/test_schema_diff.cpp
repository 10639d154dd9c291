// SPDX-License-Identifier: MIT
// parse_canonical and compare_schemas: the canonical text read back into structure, and every
// kind of structural difference `schema check` reports, on small hand-written schemas.
#include "postal/schema_diff.hpp"
#include "postal/schema_hash.hpp"

#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace pbk::postal;

namespace {

const std::string k_credentials =
    "pbk-schema\t1\n"
    "table\tcredentials\tInnoDB\tutf8mb4_general_ci\n"
    "column\tid\tint\tnot-null\t\\N\tauto_increment\t\\N\t\\N\n"
    "column\tkey\tvarchar(255)\tnull\t\\N\t\tutf8mb4\tutf8mb4_general_ci\n"
    "column\thold\ttinyint\tnull\t0\t\t\\N\t\\N\n"
    "index\tPRIMARY\tunique\tBTREE\tid\t\\N\n"
    "index\tindex_credentials_on_key\tnon-unique\tBTREE\tkey\t8\n";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  BOOST_REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

std::vector<Finding> diff(const std::string& live, const std::string& expected) {
  return compare_schemas(parse_canonical(live), parse_canonical(expected));
}

bool has(const std::vector<Finding>& findings, FindingKind kind, const std::string& needle) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.kind == kind && f.message.find(needle) != std::string::npos;
  });
}

std::string replaced_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

bool all_information(const std::vector<Finding>& findings) {
  return std::all_of(
      findings.begin(), findings.end(), [](const Finding& f) { return is_information(f.kind); });
}

const std::string k_worker_roles =
    "pbk-schema\t1\n"
    "table\tworker_roles\tInnoDB\tutf8mb4_general_ci\n"
    "column\tacquired_at\tdatetime\tnull\t\\N\t\t\\N\t\\N\n"
    "column\tid\tbigint\tnot-null\t\\N\tauto_increment\t\\N\t\\N\n"
    "column\trole\tvarchar(255)\tnull\t\\N\t\tutf8mb4\tutf8mb4_general_ci\n"
    "index\tPRIMARY\tunique\tBTREE\tid\t\\N\n";

// k_worker_roles as the expected schema marks it: created by a migration without a charset.
CanonicalSchema expected_worker_roles() {
  auto schema = parse_canonical(k_worker_roles);
  schema.tables.at("worker_roles").takes_database_default = true;
  return schema;
}

} // namespace

BOOST_AUTO_TEST_SUITE(SchemaDiff)

BOOST_AUTO_TEST_CASE(parses_tables_columns_and_indexes) {
  // Without it the expected schemas would read as empty and every database as healthy.
  const auto schema = parse_canonical(k_credentials);
  BOOST_TEST_REQUIRE(schema.tables.size() == 1U);
  const auto& table = schema.tables.at("credentials");
  BOOST_TEST(table.engine == "InnoDB");
  BOOST_TEST(table.columns.size() == 3U);
  BOOST_TEST(table.columns.at("key").type == "varchar(255)");
  BOOST_TEST(table.columns.at("id").nullable == false);
  BOOST_TEST(table.columns.at("hold").default_value == "0");
  BOOST_TEST(table.indexes.at("index_credentials_on_key").describe() == "BTREE (key(8))");
  BOOST_TEST(table.indexes.at("PRIMARY").describe() == "unique BTREE (id)");
}

BOOST_AUTO_TEST_CASE(parses_what_canonical_schema_writes) {
  // Without it a live database's text (made by canonical_schema) could not be compared at all.
  SchemaInfo info;
  info.from_mariadb = true;
  info.tables.push_back(
      {"users",
       "InnoDB",
       "utf8mb4_general_ci",
       {{"id", "int(11)", false, std::nullopt, "auto_increment", "", ""},
        {"name", "varchar(255)", true, "NULL", "", "utf8mb4", "utf8mb4_general_ci"}},
       {{"PRIMARY", true, {{"id", std::nullopt}}, "BTREE"}}});
  const auto schema = parse_canonical(canonical_schema(info));
  BOOST_TEST(schema.tables.at("users").columns.at("id").type == "int");
  BOOST_TEST(schema.tables.at("users").columns.at("name").default_value == "\\N");
}

BOOST_AUTO_TEST_CASE(rejects_malformed_text) {
  // Without it a damaged expected schema would silently compare as "no tables expected".
  BOOST_CHECK_THROW((void)parse_canonical(""), pbk::core::IntegrityError);
  BOOST_CHECK_THROW((void)parse_canonical("pbk-schema\t2\n"), pbk::core::IntegrityError);
  BOOST_CHECK_THROW((void)parse_canonical("pbk-schema\t1\ncolumn\tx\n"), pbk::core::IntegrityError);
  BOOST_CHECK_THROW((void)parse_canonical(replaced(k_credentials, "\tnot-null", "")),
                    pbk::core::IntegrityError);
  BOOST_CHECK_THROW((void)parse_canonical("pbk-schema\t1"), pbk::core::IntegrityError);
}

BOOST_AUTO_TEST_CASE(identical_schemas_have_no_findings) {
  // Without it every healthy install would be reported as drifted.
  BOOST_TEST(diff(k_credentials, k_credentials).empty());
}

BOOST_AUTO_TEST_CASE(missing_and_extra_columns_are_named) {
  // Without it the known incident (credentials.uuid absent) would go unnoticed.
  const auto with_uuid = replaced(k_credentials,
                                  "column\tkey",
                                  "column\tuuid\tvarchar(255)\tnull\t\\N\t\tutf8mb4\t"
                                  "utf8mb4_general_ci\ncolumn\tkey");
  const auto missing = diff(k_credentials, with_uuid);
  BOOST_TEST_REQUIRE(missing.size() == 1U);
  BOOST_TEST((missing[0].kind == FindingKind::missing_column));
  BOOST_TEST(missing[0].table == "credentials");
  BOOST_TEST(missing[0].column == "uuid");
  const auto extra = diff(with_uuid, k_credentials);
  BOOST_TEST_REQUIRE(extra.size() == 1U);
  BOOST_TEST((extra[0].kind == FindingKind::extra_column));
}

BOOST_AUTO_TEST_CASE(column_property_mismatches_are_separate_findings) {
  // Without it a user told "the column differs" could not tell a type from a charset problem.
  const auto f =
      diff(replaced(replaced(replaced(k_credentials, "tinyint\tnull\t0", "int\tnot-null\t1"),
                             "\tutf8mb4\tutf8mb4_general_ci",
                             "\tutf8mb3\tutf8mb3_general_ci"),
                    "auto_increment",
                    ""),
           k_credentials);
  BOOST_TEST(has(f, FindingKind::type_mismatch, "credentials.hold type is int, expected tinyint"));
  BOOST_TEST(has(f, FindingKind::nullability_mismatch, "NOT NULL, expected NULL"));
  BOOST_TEST(has(f, FindingKind::default_mismatch, "'1', expected '0'"));
  BOOST_TEST(has(f, FindingKind::charset_mismatch, "credentials.key charset"));
  BOOST_TEST(has(f, FindingKind::extra_mismatch, "credentials.id extra"));
  BOOST_TEST(f.size() == 5U);
}

BOOST_AUTO_TEST_CASE(index_changes_are_found) {
  // Without it a dropped index (slow queries, or duplicate keys) would pass as healthy.
  const auto dropped = diff(
      replaced(k_credentials, "index\tindex_credentials_on_key\tnon-unique\tBTREE\tkey\t8\n", ""),
      k_credentials);
  BOOST_TEST(has(dropped, FindingKind::missing_index, "index_credentials_on_key"));
  const auto changed = diff(replaced(k_credentials, "key\t8\n", "key\t\\N\n"), k_credentials);
  BOOST_TEST(has(changed, FindingKind::index_mismatch, "is BTREE (key), expected BTREE (key(8))"));
}

BOOST_AUTO_TEST_CASE(tables_missing_extra_and_raw_blocks) {
  // Without it a missing table would be overlooked, or a message database with a different
  // number of raw tables (even none) would be reported as drifted.
  const std::string raw = "table\traw-*\tInnoDB\tutf8mb4_general_ci\n"
                          "column\tid\tint\tnot-null\t\\N\tauto_increment\t\\N\t\\N\n";
  const std::string other = "table\tzeta\tInnoDB\tutf8mb4_general_ci\n"
                            "column\tid\tint\tnot-null\t\\N\t\t\\N\t\\N\n";
  BOOST_TEST(diff(k_credentials + raw, k_credentials).empty());
  BOOST_TEST(diff(k_credentials, k_credentials + raw).empty());
  BOOST_TEST(has(diff(k_credentials, k_credentials + other), FindingKind::missing_table, "zeta"));
  BOOST_TEST(has(diff(k_credentials + other, k_credentials), FindingKind::extra_table, "zeta"));
}

BOOST_AUTO_TEST_CASE(server_default_collation_is_not_drift) {
  // Without it every Postal table on MySQL 8 (default utf8mb4_0900_ai_ci) would read as drift.
  std::string mysql = k_credentials;
  for (auto pos = mysql.find("utf8mb4_general_ci"); pos != std::string::npos;
       pos = mysql.find("utf8mb4_general_ci")) {
    mysql.replace(pos, 18, "utf8mb4_0900_ai_ci");
  }
  BOOST_TEST(!diff(mysql, k_credentials).empty());
  const auto aliases = default_collation_aliases({{"utf8mb4", "utf8mb4_0900_ai_ci"}});
  BOOST_TEST(compare_schemas(parse_canonical(mysql), parse_canonical(k_credentials), {aliases, {}})
                 .empty());
  BOOST_TEST(default_collation_aliases({{"utf8mb4", "utf8mb4_general_ci"}}).empty());
}

BOOST_AUTO_TEST_CASE(another_collation_of_the_same_charset_is_a_note_not_drift) {
  // Lost if it failed: an install whose tables got another utf8mb4 collation (a server with
  // other defaults, a database made by an installer) would be drifted, and `finish` or an
  // ExecStartPre= guard would keep Postal down for a difference Postal does not care about.
  const auto f =
      diff(replaced_all(k_credentials, "utf8mb4_general_ci", "utf8mb4_unicode_ci"), k_credentials);
  BOOST_TEST_REQUIRE(f.size() == 2U);
  BOOST_TEST(all_information(f));
  BOOST_TEST(has(f, FindingKind::collation_difference, "table credentials collation is"));
  BOOST_TEST(has(f, FindingKind::collation_difference, "credentials.key charset"));
  BOOST_TEST(has(f, FindingKind::collation_difference, "the same character set: not drift"));
}

BOOST_AUTO_TEST_CASE(another_charset_is_drift) {
  // Lost if it failed: utf8 (3-byte) tables where Postal needs utf8mb4 would pass as healthy,
  // and a message with an emoji would fail to store.
  const auto f =
      diff(replaced_all(replaced_all(k_credentials, "utf8mb4_general_ci", "utf8mb3_general_ci"),
                        "\tutf8mb4\t",
                        "\tutf8mb3\t"),
           k_credentials);
  BOOST_TEST_REQUIRE(f.size() == 2U);
  BOOST_TEST(has(f, FindingKind::charset_mismatch, "table credentials collation is utf8mb3"));
  BOOST_TEST(has(f, FindingKind::charset_mismatch, "credentials.key charset"));
  BOOST_TEST(!is_information(FindingKind::charset_mismatch));
  const auto latin1 =
      diff(replaced(k_credentials, "InnoDB\tutf8mb4_general_ci", "InnoDB\tlatin1_swedish_ci"),
           k_credentials);
  BOOST_TEST(has(latin1, FindingKind::charset_mismatch, "latin1_swedish_ci"));
}

BOOST_AUTO_TEST_CASE(a_table_created_without_charset_takes_the_database_default) {
  // Lost if it failed: worker_roles and scheduled_tasks, which Postal's 3.x migrations create
  // without a charset, would be drift in every database whose default is not
  // utf8mb4_general_ci (the 1.x installer's utf8mb4_unicode_ci, a container's default).
  const auto unicode = parse_canonical(replaced_all(k_worker_roles, "general_ci", "unicode_ci"));
  BOOST_TEST(compare_schemas(unicode, expected_worker_roles(), {{}, "utf8mb4_unicode_ci"}).empty());
  // Under another database default it is still the same charset: a note.
  const auto other = compare_schemas(unicode, expected_worker_roles(), {{}, "utf8mb4_bin"});
  BOOST_TEST(other.size() == 2U);
  BOOST_TEST(all_information(other));
  // Another charset is what Postal made only when it is the database's default.
  const auto latin1 = parse_canonical(
      replaced_all(replaced_all(k_worker_roles, "utf8mb4_general_ci", "latin1_swedish_ci"),
                   "\tutf8mb4\t",
                   "\tlatin1\t"));
  const auto in_latin1_db =
      compare_schemas(latin1, expected_worker_roles(), {{}, "latin1_swedish_ci"});
  BOOST_TEST(in_latin1_db.size() == 2U);
  BOOST_TEST(all_information(in_latin1_db));
  BOOST_TEST(has(in_latin1_db, FindingKind::collation_difference, "the database's default"));
  const auto in_utf8mb4_db =
      compare_schemas(latin1, expected_worker_roles(), {{}, "utf8mb4_unicode_ci"});
  BOOST_TEST(has(in_utf8mb4_db, FindingKind::charset_mismatch, "worker_roles"));
  // A table that names its charset never takes the database's latin1.
  BOOST_TEST(
      has(compare_schemas(latin1, parse_canonical(k_worker_roles), {{}, "latin1_swedish_ci"}),
          FindingKind::charset_mismatch,
          "worker_roles"));
}

BOOST_AUTO_TEST_CASE(datetime_precision_is_a_note) {
  // Lost if it failed: a table created by another ActiveRecord version (datetime(6) where the
  // schema says datetime) would block `finish`; or a real type change would pass as one.
  const auto six =
      diff(replaced(k_worker_roles, "\tdatetime\t", "\tdatetime(6)\t"), k_worker_roles);
  BOOST_TEST_REQUIRE(six.size() == 1U);
  BOOST_TEST((six[0].kind == FindingKind::precision_difference));
  BOOST_TEST(is_information(six[0].kind));
  BOOST_TEST(six[0].message.find("acquired_at type is datetime(6), expected datetime")
                 != std::string::npos,
             six[0].message);
  const auto timestamp =
      diff(replaced(k_worker_roles, "\tdatetime\t", "\ttimestamp(3)\t"), k_worker_roles);
  BOOST_TEST(has(timestamp, FindingKind::type_mismatch, "acquired_at type is timestamp(3)"));
  const auto date = diff(replaced(k_worker_roles, "\tdatetime\t", "\tdate\t"), k_worker_roles);
  BOOST_TEST(has(date, FindingKind::type_mismatch, "acquired_at type is date"));
}

BOOST_AUTO_TEST_CASE(integer_display_widths_never_differ) {
  // Lost if it failed: every Postal install on MySQL 8.0.19+ (int, not int(11)) would be
  // drifted; or a widened integer column would pass unnoticed.
  SchemaInfo mariadb;
  mariadb.tables.push_back({"t",
                            "InnoDB",
                            "utf8mb4_general_ci",
                            {{"id", "bigint(20)", false, std::nullopt, "auto_increment", "", ""},
                             {"n", "int(11) unsigned", true, std::nullopt, "", "", ""},
                             {"flag", "tinyint(1)", true, std::nullopt, "", "", ""}},
                            {}});
  SchemaInfo mysql = mariadb;
  mysql.tables[0].columns[0].column_type = "bigint";
  mysql.tables[0].columns[1].column_type = "int unsigned";
  BOOST_TEST(diff(canonical_schema(mysql), canonical_schema(mariadb)).empty());
  mysql.tables[0].columns[1].column_type = "bigint unsigned";
  BOOST_TEST(has(diff(canonical_schema(mysql), canonical_schema(mariadb)),
                 FindingKind::type_mismatch,
                 "t.n type is bigint unsigned, expected int unsigned"));
}

BOOST_AUTO_TEST_SUITE_END()
