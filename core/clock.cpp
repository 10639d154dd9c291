// SPDX-License-Identifier: MIT
#include "core/clock.hpp"

#include <ctime>

namespace pbk::core {
namespace {

std::string format_utc(SystemTime t, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, format, &parts);
  return std::string(text, n);
}

} // namespace

std::string iso8601_utc(SystemTime t) {
  return format_utc(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string compact_utc(SystemTime t) {
  return format_utc(t, "%Y%m%dT%H%M%SZ");
}

std::string date_utc(SystemTime t) {
  return format_utc(t, "%Y-%m-%d");
}

} // namespace pbk::core
