// SPDX-License-Identifier: MIT
// The release facts `schema check` needs, taken from the release catalog (built in, plus any
// --catalog FILE): which migrations each release has, and every migration's name.
#pragma once

#include "manifest/release_catalog.hpp"
#include "manifest/schema_check.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pbk::cli {

struct SchemaCatalog {
  std::vector<manifest::ReleaseFacts> releases; // oldest first, as releases.json lists them
  std::vector<manifest::NamedMigration> main_migrations;       // every one any release has
  std::vector<manifest::NamedMigration> message_db_migrations; // every one any release has

  [[nodiscard]] const manifest::ReleaseFacts* find(std::string_view version) const;
  // The release a database at `level` most likely runs: the newest with that main level,
  // preferring the main entries of 1.x periods over their short-lived "+mdb" variants.
  [[nodiscard]] const manifest::ReleaseFacts* newest_at_main_level(std::string_view level) const;
  [[nodiscard]] std::vector<std::string> known_versions() const; // releases only, no 1.x
};

[[nodiscard]] SchemaCatalog schema_catalog(const manifest::ReleaseCatalog& catalog);

} // namespace pbk::cli
