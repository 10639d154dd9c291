// SPDX-License-Identifier: MIT
#include "core/size_text.hpp"

#include <iterator>

namespace pbk::core {

std::string size_text(std::uint64_t bytes) {
  static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  std::uint64_t scale = 1;
  while (unit + 1 < std::size(units) && bytes / scale >= 1024) {
    scale *= 1024;
    ++unit;
  }
  const std::uint64_t whole = bytes / scale;
  const std::uint64_t tenths = ((bytes % scale) * 10 + scale - 1) / scale;
  if (tenths == 0) {
    return std::to_string(whole) + " " + units[unit];
  }
  if (tenths == 10) {
    return std::to_string(whole + 1) + " " + units[unit];
  }
  return std::to_string(whole) + "." + std::to_string(tenths) + " " + units[unit];
}

} // namespace pbk::core
