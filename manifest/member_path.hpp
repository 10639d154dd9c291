// SPDX-License-Identifier: MIT
// Names of the data members inside an archive. Database and table names are escaped so that
// any identifier MariaDB accepts becomes one safe path component: bytes outside
// [A-Za-z0-9._-] become %XX, so `raw-2026-01-01` stays readable and `a/b` cannot nest.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pbk::manifest {

[[nodiscard]] std::string escape_path_component(std::string_view name);
[[nodiscard]] std::string schema_member_path(std::string_view database, std::string_view table);
// chunk counts from 1: rows-000001.tsv.zst
[[nodiscard]] std::string
rows_member_path(std::string_view database, std::string_view table, std::size_t chunk);

} // namespace pbk::manifest
