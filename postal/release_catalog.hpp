// SPDX-License-Identifier: MIT
// Every Postal release this binary knows (postal/catalog/releases.json, built in), and the
// schema levels of Postal's master branch before 2.0 ("1.x@<main level>" periods), with the
// main and message-DB migrations each one expects. `--catalog FILE` adds or overrides
// releases by version, so a new Postal release needs no rebuild. docs/catalog.md describes
// the JSON. Invariant: releases() is ordered oldest first, 1.x periods before releases.
#pragma once

#include "core/version_order.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::postal {

struct MainMigration {
  std::string version;
  std::string name;
};

struct MessageMigration {
  int number = 0;
  std::string name;
};

enum class Era { v1, v2, v3 }; // 1.x master periods, 2.x releases, 3.x releases

struct Release {
  std::string version;                                 // "2.1.4" or "1.x@20180216114344"
  bool is_1x = false;                                  // kind == "1.x-master"
  std::string date;                                    // YYYY-MM-DD
  std::vector<MainMigration> main_migrations;          // ascending
  std::vector<MessageMigration> message_db_migrations; // ascending
  std::string main_schema_level;                       // last main migration
  std::string message_db_schema_level;                 // "18", "19", "20" as in releases.json
  std::string main_schema_file;       // e.g. "schema/main/20210727210551.sql" (the expected schema)
  std::string message_db_schema_file; // e.g. "schema/message_db/20.sql", may be empty
  // 1.x periods: when the state was current on master (ISO 8601); empty for releases.
  std::string current_from;
  std::string current_until;

  [[nodiscard]] Era era() const;
};

class ReleaseCatalog {
public:
  // From the embedded releases.json.
  [[nodiscard]] static ReleaseCatalog built_in();

  // --catalog: add or override by version. `origin` names the text in error messages.
  // Malformed JSON or a release without its required fields → core::Error(usage).
  void merge(std::string_view json, const std::string& origin);
  void merge_file(const std::filesystem::path& file); // errors: core::Error(usage, ...)

  // Oldest first: 1.x periods by start date, then releases in semver order.
  [[nodiscard]] const std::vector<Release>& releases() const { return m_releases; }

  // Exact version; nullptr if unknown.
  [[nodiscard]] const Release* find(std::string_view version) const;
  [[nodiscard]] std::vector<const Release*> releases_with_main_level(std::string_view level) const;
  // The release an install at main `level` most likely runs: the newest at that level,
  // preferring a 1.x period's main entry over its short-lived "+mdb…" variants (an install at
  // 20180216114344 is 1.x@20180216114344, not the one-hour 19-legacy variant). nullptr if none.
  [[nodiscard]] const Release* newest_at_main_level(std::string_view level) const;
  // "2.0.0–2.2.2", "3.2.0–3.3.6", "1.x 2018-02-16 … 2020-07-17"; several runs are joined by
  // ", ". An empty message_level matches any. nullopt if no release has the levels.
  [[nodiscard]] std::optional<std::string> release_range(std::string_view main_level,
                                                         std::string_view message_level) const;
  // Releases only (no 1.x periods), for messages.
  [[nodiscard]] std::vector<std::string> known_versions() const;
  // The name of a main migration in any release; "" if no release has it.
  [[nodiscard]] std::string main_migration_name(std::string_view version) const;

private:
  void sort();

  std::vector<Release> m_releases;
};

} // namespace pbk::postal
