// SPDX-License-Identifier: MIT
// Decimal numbers read from text that may be hostile (an archive, a server's answer): the
// whole text must be digits (a leading '-' only for signed types) and the value must fit `T`.
// std::stoi and friends accept "12abc", skip spaces and throw std::out_of_range, which would
// reach the user as a runtime failure instead of the damaged input it is; callers turn
// nullopt into the error their input calls for.
#pragma once

#include <charconv>
#include <concepts>
#include <optional>
#include <string_view>

namespace pbk::core {

template <std::integral T>
[[nodiscard]] std::optional<T> parse_decimal(std::string_view text) {
  if (text.empty() || text.front() == '+' || (text.front() == '-' && std::unsigned_integral<T>)) {
    return std::nullopt;
  }
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

} // namespace pbk::core
