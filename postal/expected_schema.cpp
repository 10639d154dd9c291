// SPDX-License-Identifier: MIT
// Maps the catalog's schema file names onto the embedded canonical texts. The message-DB
// variants are facts about Postal's history (docs/operations.md "Schema check"): a level-20
// database upgraded from 18 differs from a fresh one, and a 1.x database at the 2020-07-17
// numbering of migration 19 is a valid level 19 that later upgrades into a drifted 20.
#include "postal/expected_schema.hpp"

#include "core/embedded_files.hpp"

#include <algorithm>

namespace pbk::postal {

namespace {

constexpr std::string_view k_schema_prefix = "schema/";
constexpr std::string_view k_sql_suffix = ".sql";
constexpr std::string_view k_embedded_main = "schemas/main/";
constexpr std::string_view k_canonical_suffix = ".canonical";

} // namespace

std::optional<std::string_view> expected_canonical(std::string_view schema_file) {
  if (!schema_file.starts_with(k_schema_prefix) || !schema_file.ends_with(k_sql_suffix)) {
    return std::nullopt;
  }
  schema_file.remove_prefix(k_schema_prefix.size());
  schema_file.remove_suffix(k_sql_suffix.size());
  return core::embedded_file("schemas/" + std::string(schema_file)
                             + std::string(k_canonical_suffix));
}

std::vector<std::string> expected_main_schema_files() {
  std::vector<std::string> files;
  for (const auto name : core::embedded_file_names()) {
    if (name.starts_with(k_embedded_main) && name.ends_with(k_canonical_suffix)) {
      auto level = name.substr(k_embedded_main.size());
      level.remove_suffix(k_canonical_suffix.size());
      files.push_back("schema/main/" + std::string(level) + std::string(k_sql_suffix));
    }
  }
  // Levels are 14-digit versions, so name order is version order.
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> healthy_message_schema_files(std::string_view level) {
  if (level == "18") {
    return {"schema/message_db/18.sql"};
  }
  if (level == "19") {
    return {"schema/message_db/19.sql", "schema/message_db/19-legacy.sql"};
  }
  if (level == "20") {
    return {"schema/message_db/20.sql", "schema/message_db/20-upgraded-from-18.sql"};
  }
  return {};
}

std::vector<std::string> tables_taking_database_default(std::string_view schema_file) {
  // Rails' bookkeeping tables (schema_migrations, ar_internal_metadata) take it too; the
  // canonical text already leaves their collations out.
  if (schema_file.starts_with("schema/main/")) {
    return {"scheduled_tasks", "worker_roles"};
  }
  return {};
}

std::vector<std::string> expected_message_levels() {
  return {"18", "19", "20"};
}

} // namespace pbk::postal
