// SPDX-License-Identifier: MIT
// Names of the data members inside an archive. Database and table names are escaped so that
// any identifier MariaDB accepts becomes one safe path component: bytes outside
// [A-Za-z0-9._-] become %XX, so `raw-2026-01-01` stays readable and `a/b` cannot nest.
// Config members have two path components (config/<file>.zst), table members three, so a
// database named `config` can never be mistaken for the config directory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::archive {

[[nodiscard]] std::string escape_path_component(std::string_view name);
[[nodiscard]] std::string schema_member_path(std::string_view database, std::string_view table);
// chunk counts from 1: rows-000001.tsv.zst
[[nodiscard]] std::string
rows_member_path(std::string_view database, std::string_view table, std::size_t chunk);

// config/<escaped file name>.zst
[[nodiscard]] std::string config_member_path(std::string_view file_name);
// The file name a config member path stands for; nullopt when the path is not one (a table
// member, or a name that would not be a plain file name inside the directory).
[[nodiscard]] std::optional<std::string> config_file_name(std::string_view member_path);
// A name config files may have: not empty, not . or .., no '/' and no NUL.
[[nodiscard]] bool is_plain_file_name(std::string_view name);

} // namespace pbk::archive
