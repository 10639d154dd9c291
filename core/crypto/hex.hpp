// SPDX-License-Identifier: MIT
// Lower-case hexadecimal, the form every key, salt, tag and signature takes in the archive's
// JSON members.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::core::crypto {

[[nodiscard]] std::string to_hex(std::span<const std::byte> bytes);
// nullopt when `text` is not an even number of hex digits.
[[nodiscard]] std::optional<std::vector<std::byte>> from_hex(std::string_view text);

} // namespace pbk::core::crypto
