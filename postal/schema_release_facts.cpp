// SPDX-License-Identifier: MIT
#include "postal/schema_release_facts.hpp"

namespace pbk::postal {

SchemaCatalog schema_catalog(const ReleaseCatalog& catalog) {
  SchemaCatalog facts;
  for (const auto& release : catalog.releases()) {
    ReleaseFacts entry;
    entry.version = release.version;
    entry.main_schema_level = release.main_schema_level;
    entry.message_db_schema_level = release.message_db_schema_level;
    for (const auto& migration : release.main_migrations) {
      entry.main_migrations.push_back(migration.version);
      facts.main_migrations.push_back({migration.version, migration.name});
    }
    for (const auto& migration : release.message_db_migrations) {
      entry.message_db_migrations.push_back(std::to_string(migration.number));
      facts.message_db_migrations.push_back({std::to_string(migration.number), migration.name});
    }
    facts.releases.push_back(std::move(entry));
    facts.newest_version_at_level[release.main_schema_level] =
        catalog.newest_at_main_level(release.main_schema_level)->version;
  }
  return facts;
}

const ReleaseFacts* SchemaCatalog::find(std::string_view version) const {
  for (const auto& release : releases) {
    if (release.version == version) {
      return &release;
    }
  }
  return nullptr;
}

const ReleaseFacts* SchemaCatalog::newest_at_main_level(std::string_view level) const {
  const auto newest = newest_version_at_level.find(level);
  return newest == newest_version_at_level.end() ? nullptr : find(newest->second);
}

std::vector<std::string> SchemaCatalog::known_versions() const {
  std::vector<std::string> versions;
  for (const auto& release : releases) {
    if (!release.version.starts_with("1.x@")) {
      versions.push_back(release.version);
    }
  }
  return versions;
}

} // namespace pbk::postal
