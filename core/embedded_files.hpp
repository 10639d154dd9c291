// SPDX-License-Identifier: MIT
// Data files built into the binary (cmake/embed.cmake): the release catalog and the expected
// schema of every Postal level, so a copied binary knows every release without data files.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace pbk::core {

// `name` is the path below postal/catalog, e.g. "releases.json".
[[nodiscard]] std::optional<std::string_view> embedded_file(std::string_view name);
[[nodiscard]] std::vector<std::string_view> embedded_file_names();

} // namespace pbk::core
