// SPDX-License-Identifier: MIT
// Message databases left behind by Postal's 2020 renumbering of message migration 19: from
// 2020-07-17 to 2020-10-01 migration 19 was increase_links_url_size, then it became the utf8mb4
// conversion and the old one became 20. A database migrated under the old numbering records 19
// (or 20 after a later upgrade) yet was never converted, and Postal never converts it, since it
// runs only migrations above the recorded level. Recognised by the backup's schema hash alone.
#pragma once

#include "archive/manifest.hpp"

#include <optional>
#include <string>

namespace pbk::postal {

// The expected schema file ("schema/message_db/20-from-19-legacy.sql" or ".../19-legacy.sql",
// one structure: the recorded level tells them apart) whose canonical text hashes to
// `database.schema_hash`; nullopt for any other structure, and for a backup without hashes.
[[nodiscard]] std::optional<std::string>
unconverted_legacy_19_schema(const archive::DatabaseInfo& database);

// Why Postal will not convert such a database and what to do; call only when
// unconverted_legacy_19_schema(database) found it.
[[nodiscard]] std::string unconverted_warning(const archive::DatabaseInfo& database);

// Postal's message migration 19 as SQL statements on one line, for the current database (no
// name from an archive in it), ending with migration 20's links.url so that it may run before
// or after `postal upgrade`.
[[nodiscard]] std::string utf8mb4_conversion_sql();

// The printed step: which database, then utf8mb4_conversion_sql() after ": ".
[[nodiscard]] std::string utf8mb4_conversion_by_hand(const std::string& database_name);

} // namespace pbk::postal
