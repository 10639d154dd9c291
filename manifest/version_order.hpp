// SPDX-License-Identifier: MIT
// The two orders the catalog and the plan need: Postal release versions by semantic-version
// precedence, and migration versions (Rails timestamps, message-DB numbers) as numbers.
#pragma once

#include <string_view>

namespace pbk::manifest {

// Semantic-version precedence (2.0.0-beta.1 < 2.0.0 < 2.0.10); <0, 0, >0 like strcmp. Build
// metadata (+...) is ignored. Throws core::Error(usage) for text that is not
// MAJOR.MINOR.PATCH[-pre][+build].
[[nodiscard]] int compare_versions(std::string_view a, std::string_view b);
[[nodiscard]] bool is_semver(std::string_view version);
// The MAJOR of a semantic version (throws like compare_versions).
[[nodiscard]] int major_version(std::string_view version);

// Digit strings compared as numbers of any length ("9" < "10", "20240311205229"); <0, 0, >0.
[[nodiscard]] int compare_levels(std::string_view a, std::string_view b);

} // namespace pbk::manifest
