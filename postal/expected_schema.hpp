// SPDX-License-Identifier: MIT
// The expected canonical schema of every Postal schema level, built into the binary from
// postal/catalog/schemas/<role>/<variant>.canonical. Those files are generated from the
// fixture DDL (tests/fixtures/postal/schema) by scripts/update-expected-schemas against a real
// server, and an integration test proves them equal to what the server makes of that DDL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::postal {

// The canonical text for a catalog schema file name: "schema/main/20210727210551.sql" →
// the embedded "schemas/main/20210727210551.canonical". nullopt for an unknown file.
[[nodiscard]] std::optional<std::string_view> expected_canonical(std::string_view schema_file);

// Schema file names ("schema/main/<level>.sql") of every embedded main level, ascending.
[[nodiscard]] std::vector<std::string> expected_main_schema_files();

// The variants of a message-DB level that are healthy structures of it, first the one a fresh
// provisioning creates: "20" → schema/message_db/20.sql and 20-upgraded-from-18.sql (an
// upgraded database has mediumtext where a fresh one has text). Empty for unknown levels.
[[nodiscard]] std::vector<std::string> healthy_message_schema_files(std::string_view level);

// The tables of a schema file that Postal's migrations create without naming a charset:
// worker_roles and scheduled_tasks (main migrations 20240213165450 and 20240213171830, 3.x).
// db/schema.rb names utf8mb4_general_ci for them, so a fresh install has that; a database
// migrated into their level has them in its own default charset and collation.
[[nodiscard]] std::vector<std::string> tables_taking_database_default(std::string_view schema_file);

// Message-DB levels with an expected schema, ascending ("18", "19", "20").
[[nodiscard]] std::vector<std::string> expected_message_levels();

} // namespace pbk::postal
