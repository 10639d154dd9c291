// SPDX-License-Identifier: MIT
// The release facts `schema check` needs, taken from the release catalog (built in, plus any
// --catalog FILE): which migrations each release has, and every migration's name.
#pragma once

#include "postal/release_catalog.hpp"
#include "postal/schema_check.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::postal {

struct SchemaCatalog {
  std::vector<ReleaseFacts> releases;                // oldest first, as releases.json lists them
  std::vector<NamedMigration> main_migrations;       // every one any release has
  std::vector<NamedMigration> message_db_migrations; // every one any release has
  // Main level → version of ReleaseCatalog::newest_at_main_level, so both commands
  // pick the same release for a level.
  std::map<std::string, std::string, std::less<>> newest_version_at_level;

  [[nodiscard]] const ReleaseFacts* find(std::string_view version) const;
  // The release a database at `level` most likely runs (newest_version_at_level); nullptr if none.
  [[nodiscard]] const ReleaseFacts* newest_at_main_level(std::string_view level) const;
  [[nodiscard]] std::vector<std::string> known_versions() const; // releases only, no 1.x
};

[[nodiscard]] SchemaCatalog schema_catalog(const ReleaseCatalog& catalog);

} // namespace pbk::postal
