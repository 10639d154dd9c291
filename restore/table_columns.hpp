// SPDX-License-Identifier: MIT
// How many columns a checked CREATE TABLE statement defines: what every row of its table must
// hold. `verify` holds each decoded row to it, as the server does on restore.
#pragma once

#include <cstddef>
#include <string_view>

namespace pbk::restore {

// `sql` is a statement checked_create_table accepted. Counts the definitions in its outer
// parentheses that are columns (not keys, indexes or constraints).
[[nodiscard]] std::size_t column_count(std::string_view sql);

} // namespace pbk::restore
