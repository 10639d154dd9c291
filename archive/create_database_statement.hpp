// SPDX-License-Identifier: MIT
// The CREATE DATABASE of a staging or live database, built from backup.json's charset and
// collation only after they are checked to be plain names (an archive's text never reaches the
// server as SQL).
#pragma once

#include "archive/manifest.hpp"

#include <string>
#include <string_view>

namespace pbk::archive {

// Throws core::IntegrityError naming `label` unless `database`'s charset and collation are
// plain names (is_charset_name); needs no server, so `verify` can run it too.
void check_database_charset(const archive::DatabaseInfo& database, const std::string& label);

// `CREATE DATABASE <name> DEFAULT CHARACTER SET <charset> COLLATE <collation>` from backup.json's
// values, after check_database_charset.
[[nodiscard]] std::string create_database_sql(std::string_view name,
                                              const archive::DatabaseInfo& database,
                                              const std::string& label);

} // namespace pbk::archive
