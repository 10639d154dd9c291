// SPDX-License-Identifier: MIT
// Reading what `list --json` and `prune --json` print: one backup's entry and its reasons.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pbk::test {

// The entry of archive file `name` in the document's "backups"; fails the test when absent.
[[nodiscard]] nlohmann::json entry_for(const nlohmann::json& document, const std::string& name);
// Whether one of the entry's "reasons" contains `fragment`.
[[nodiscard]] bool has_reason(const nlohmann::json& entry, const std::string& fragment);

} // namespace pbk::test
