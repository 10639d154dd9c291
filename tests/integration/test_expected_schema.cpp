// SPDX-License-Identifier: MIT
// The committed expected schemas (postal/catalog/schemas, built into the binary) against what
// the real server makes of the fixture DDL they were generated from: they can never go stale
// without this failing (regenerate with scripts/update-expected-schemas).
#include "postal/expected_schema.hpp"
#include "postal/schema_hash.hpp"

#include "core/embedded_files.hpp"
#include "tests/support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

using pbk::core::db::Connection;
namespace fs = std::filesystem;

namespace {

const fs::path k_schemas = fs::path(PBK_SOURCE_DIR) / "tests/fixtures/postal/schema";

// "schemas/main/20210727210551.canonical" → "main/20210727210551.sql"
std::string fixture_of(std::string_view embedded) {
  embedded.remove_prefix(std::string_view("schemas/").size());
  embedded.remove_suffix(std::string_view(".canonical").size());
  return std::string(embedded) + ".sql";
}

} // namespace

BOOST_AUTO_TEST_SUITE(ExpectedSchemaOnServer,
                      *boost::unit_test::precondition(pbk::test::require_server))

BOOST_AUTO_TEST_CASE(every_expected_schema_equals_the_server_view_of_its_ddl) {
  // Without it an expected schema could drift from Postal's DDL, and `schema check` would call
  // correct installs broken (or broken ones correct).
  const auto& server = pbk::test::test_server();
  std::size_t checked = 0;
  for (const auto name : pbk::core::embedded_file_names()) {
    if (!name.starts_with("schemas/") || !name.ends_with(".canonical")) {
      continue;
    }
    const auto fixture = fixture_of(name);
    BOOST_TEST_CONTEXT(fixture) {
      pbk::test::ScratchDatabase database(server);
      auto connection = database.connect();
      connection.execute("ALTER DATABASE " + Connection::quote_identifier(database.name())
                         + " CHARACTER SET utf8mb4");
      pbk::test::run_sql_file(server, database.name(), k_schemas / fixture);
      const auto live =
          pbk::postal::canonical_schema(pbk::postal::load_schema(connection, database.name()));
      BOOST_TEST(live == std::string(*pbk::core::embedded_file(name)));
      BOOST_TEST(pbk::postal::expected_canonical("schema/" + fixture).has_value());
      ++checked;
    }
  }
  BOOST_TEST(checked == 16U);
}

BOOST_AUTO_TEST_SUITE_END()
