// SPDX-License-Identifier: MIT
#include "cli/commands/schema_catalog_glue.hpp"

#include "core/embedded_files.hpp"
#include "core/error.hpp"

#include <nlohmann/json.hpp>

namespace pbk::cli {
namespace {

std::string text_of(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

manifest::ReleaseFacts release_facts(const nlohmann::json& entry, SchemaCatalog& catalog) {
  manifest::ReleaseFacts release;
  release.version = entry.at("version").get<std::string>();
  release.main_schema_level = text_of(entry.at("main_schema_level"));
  release.message_db_schema_level = text_of(entry.at("message_db_schema_level"));
  for (const auto& migration : entry.at("main_migrations")) {
    const auto id = text_of(migration.at("version"));
    release.main_migrations.push_back(id);
    catalog.main_migrations.push_back({id, migration.value("name", "")});
  }
  for (const auto& migration : entry.at("message_db_migrations")) {
    const auto id = text_of(migration.at("number"));
    release.message_db_migrations.push_back(id);
    catalog.message_db_migrations.push_back({id, migration.value("name", "")});
  }
  return release;
}

} // namespace

SchemaCatalog load_schema_catalog() {
  const auto text = core::embedded_file("releases.json");
  if (!text) {
    throw core::Error(core::ExitCode::runtime, "this build has no built-in releases.json");
  }
  SchemaCatalog catalog;
  try {
    for (const auto& entry : nlohmann::json::parse(*text)) {
      catalog.releases.push_back(release_facts(entry, catalog));
    }
  } catch (const nlohmann::json::exception& e) {
    throw core::Error(core::ExitCode::runtime,
                      std::string("the built-in releases.json is malformed: ") + e.what());
  }
  return catalog;
}

const manifest::ReleaseFacts* SchemaCatalog::find(std::string_view version) const {
  for (const auto& release : releases) {
    if (release.version == version) {
      return &release;
    }
  }
  return nullptr;
}

const manifest::ReleaseFacts* SchemaCatalog::newest_at_main_level(std::string_view level) const {
  const manifest::ReleaseFacts* any = nullptr;
  const manifest::ReleaseFacts* main_entry = nullptr;
  for (const auto& release : releases) {
    if (release.main_schema_level == level) {
      any = &release;
      if (release.version.find('+') == std::string::npos) {
        main_entry = &release;
      }
    }
  }
  return main_entry != nullptr ? main_entry : any;
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

} // namespace pbk::cli
