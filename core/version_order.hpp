// SPDX-License-Identifier: MIT
// The two orders the catalog and the plan need: Postal release versions by semantic-version
// precedence, and migration versions (Rails timestamps, message-DB numbers) as numbers.
#pragma once

#include <string>
#include <string_view>

namespace pbk::core {

// Semantic-version precedence (2.0.0-beta.1 < 2.0.0 < 2.0.10); <0, 0, >0 like strcmp. Build
// metadata (+...) is ignored. Throws core::Error(usage) for text that is not
// MAJOR.MINOR.PATCH[-pre][+build].
[[nodiscard]] int compare_versions(std::string_view a, std::string_view b);
[[nodiscard]] bool is_semver(std::string_view version);
// The MAJOR of a semantic version (throws like compare_versions).
[[nodiscard]] int major_version(std::string_view version);

// Digit strings compared as numbers of any length ("9" < "10", "20240311205229"); <0, 0, >0.
[[nodiscard]] int compare_levels(std::string_view a, std::string_view b);

// A message-DB migration number or level as an archive records it ("20"): decimal digits
// that fit an int, nothing else. Anything else is an IntegrityError naming `where`: the
// archive was damaged or forged.
[[nodiscard]] int message_migration_number(std::string_view text, const std::string& where);

} // namespace pbk::core
