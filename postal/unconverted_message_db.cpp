// SPDX-License-Identifier: MIT
#include "postal/unconverted_message_db.hpp"

#include "postal/expected_schema.hpp"
#include "postal/schema_diff.hpp"
#include "postal/schema_hash.hpp"

#include "core/hash/sha256.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace pbk::postal {
namespace {

constexpr std::array<std::string_view, 2> k_unconverted_schema_files{
    "schema/message_db/20-from-19-legacy.sql", "schema/message_db/19-legacy.sql"};
constexpr std::string_view k_message_prefix = "schema/message_db/";
// The server's default collation of utf8mb4, which raw tables created from 2020-10-01 on get:
// MariaDB, MySQL 8, MariaDB 11.5+.
constexpr std::array<std::string_view, 3> k_utf8mb4_defaults{
    "utf8mb4_general_ci", "utf8mb4_0900_ai_ci", "utf8mb4_uca1400_ai_ci"};

// The canonical block of one of Postal's per-day raw tables (docs/format.md "Schema hash"),
// made by canonical_schema itself so it is spelled as the recorded hash spelled it.
std::string raw_table_block(std::string_view blob_type, std::string_view collation) {
  TableInfo table{"raw-2020-01-01", "InnoDB", std::string(collation), {}, {}};
  table.columns = {{"id", "int(11)", false, std::nullopt, "auto_increment", "", ""},
                   {"data", std::string(blob_type), true, std::nullopt, "", "", ""},
                   {"next", "int(11)", true, std::nullopt, "", "", ""}};
  table.indexes = {{"PRIMARY", true, {{"id", std::nullopt}}, "BTREE"}};
  SchemaInfo schema;
  schema.tables = {table};
  const auto text = canonical_schema(schema);
  return text.substr(text.find('\n') + 1);
}

// A canonical text's header line and its table blocks (each starts with a "table" line).
std::pair<std::string, std::vector<std::string>> split_blocks(std::string_view canonical) {
  const auto header_end = canonical.find('\n') + 1;
  std::pair<std::string, std::vector<std::string>> parts{
      std::string(canonical.substr(0, header_end)), {}};
  for (auto start = header_end; start < canonical.size();) {
    auto next = canonical.find("\ntable\t", start);
    next = next == std::string_view::npos ? canonical.size() : next + 1;
    parts.second.emplace_back(canonical.substr(start, next - start));
    start = next;
  }
  return parts;
}

// The hashes of `canonical` with each mix of raw tables a database of it can hold: utf8
// mediumblob (before 2017-12-05) and longblob ones, and utf8mb4 longblob ones (2020-10-01 on).
std::vector<std::string> hashes_with_raw_tables(std::string_view canonical) {
  const auto [header, blocks] = split_blocks(canonical);
  const std::string utf8 =
      blocks.empty() ? "" : blocks.front().substr(0, blocks.front().find('\n'));
  const std::string utf8_collation = utf8.substr(utf8.rfind('\t') + 1);
  std::vector<std::string> utf8mb4_blocks{""};
  for (const auto collation : k_utf8mb4_defaults) {
    utf8mb4_blocks.push_back(raw_table_block("longblob", collation));
  }
  std::vector<std::string> hashes;
  for (int mix = 0; mix < 4; ++mix) {
    for (const auto& utf8mb4 : utf8mb4_blocks) {
      auto all = blocks;
      if ((mix & 1) != 0) {
        all.push_back(raw_table_block("mediumblob", utf8_collation));
      }
      if ((mix & 2) != 0) {
        all.push_back(raw_table_block("longblob", utf8_collation));
      }
      if (!utf8mb4.empty()) {
        all.push_back(utf8mb4);
      }
      std::sort(all.begin(), all.end()); // as canonical_schema orders its blocks
      std::string text = header;
      for (const auto& block : all) {
        text += block;
      }
      hashes.push_back(core::hash::sha256_hex(text));
    }
  }
  return hashes;
}

// (schema file, hash) of each structure; the hash is computed as postal::schema_hash does
// (SHA-256 of the canonical text), so it equals what `create` recorded for such a database.
const std::vector<std::pair<std::string, std::string>>& unconverted_hashes() {
  static const auto hashes = [] {
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto file : k_unconverted_schema_files) {
      if (const auto canonical = expected_canonical(file)) {
        for (auto& hash : hashes_with_raw_tables(*canonical)) {
          found.emplace_back(std::string(file), std::move(hash));
        }
      }
    }
    return found;
  }();
  return hashes;
}

} // namespace

std::optional<std::string> unconverted_legacy_19_schema(const archive::DatabaseInfo& database) {
  if (database.role != archive::DatabaseRole::message || database.schema_hash.empty()) {
    return std::nullopt;
  }
  // Both structures are one (the new 20 repeats the legacy 19), so the recorded level says
  // which of the two the database is.
  std::optional<std::string> found;
  for (const auto& [file, hash] : unconverted_hashes()) {
    if (hash == database.schema_hash
        && (!found
            || file.starts_with(std::string(k_message_prefix) + database.schema_level + "-"))) {
      found = file;
    }
  }
  return found;
}

std::string unconverted_warning(const archive::DatabaseInfo& database) {
  return database.name + " has the structure of "
         + unconverted_legacy_19_schema(database).value_or("a legacy message migration 19")
         + " (Postal's 2020 renumbering of message migration 19): its tables were never "
           "converted to utf8mb4, and Postal will not run migration 19 because the recorded "
           "level ("
         + database.schema_level
         + ") already counts it as done; apply the conversion by hand (the SQL of Postal's "
           "message migration 19, 19_convert_database_to_utf8mb4.rb) before postal-backup "
           "finish";
}

std::string utf8mb4_conversion_sql() {
  // The tables migration 19 converts are those of the unconverted structure (Postal's 15; raw
  // tables have no character columns). CONVERT TO widens a utf8 TEXT column to MEDIUMTEXT, so
  // links.url, which migration 20 (increase_links_url_size) makes TEXT, is made TEXT again:
  // the result is the structure of a database Postal converted itself (19, then 20), whether
  // `postal upgrade` runs before or after.
  const auto legacy = parse_canonical(expected_canonical(k_unconverted_schema_files[1]).value());
  std::string sql = "ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;";
  for (const auto& [name, table] : legacy.tables) {
    if (name != "raw-*") {
      sql += " ALTER TABLE `" + name
             + "` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;";
    }
  }
  return sql + " ALTER TABLE `links` MODIFY `url` TEXT;";
}

std::string utf8mb4_conversion_by_hand(const std::string& database_name) {
  return "apply Postal's message migration 19 (convert_database_to_utf8mb4) by hand in "
         + database_name + " (as the current database): " + utf8mb4_conversion_sql();
}

} // namespace pbk::postal
