// SPDX-License-Identifier: MIT
// The Postal release a restore goes into, from the three ways an operator can name it
// (DESIGN §4): --target-version V, --postal-app DIR (a Postal checkout or the container's
// app directory), or the target server's existing main DB, which a fresh `postal initialize`
// of the new release leaves at that release's level. A target none of these can tell is
// refused (exit 5) with the ways to name it.
#pragma once

#include "postal/plan.hpp"
#include "postal/release_catalog.hpp"

#include "core/db/connection.hpp"
#include "core/error.hpp"

#include <filesystem>
#include <string>

namespace pbk::postal {

// Refused (exit 5) when the catalog lacks the version; the message lists the known ones.
[[nodiscard]] postal::MigrationTarget target_from_version(const postal::ReleaseCatalog& catalog,
                                                          const std::string& version);

// VERSION looked up in the catalog; for a version the catalog lacks, the migration file names
// (db/migrate/<version>_<name>.rb, lib/postal/message_db/migrations/<NN>_<name>.rb).
[[nodiscard]] postal::MigrationTarget target_from_postal_app(const postal::ReleaseCatalog& catalog,
                                                             const std::filesystem::path& dir);

// The main DB's schema_migrations; the message-DB migrations are those of
// ReleaseCatalog::newest_at_main_level (a fresh install has no message DB to read them from).
[[nodiscard]] postal::MigrationTarget target_from_server(const postal::ReleaseCatalog& catalog,
                                                         core::db::Connection& connection,
                                                         const std::string& main_db);

// The refusal when no target is named.
[[nodiscard]] core::Error no_target_error();

} // namespace pbk::postal
