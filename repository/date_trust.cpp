// SPDX-License-Identifier: MIT
#include "repository/date_trust.hpp"

#include "repository/retention_policy.hpp"

#include <cctype>

namespace pbk::repository {
namespace {

bool digits(std::string_view text) {
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
  }
  return true;
}

// "20261125T030000Z" → "2026-11-25T03:00:00Z", when `text` has that shape.
std::optional<std::string> iso_of_compact(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !digits(text.substr(0, 8))
      || !digits(text.substr(9, 6))) {
    return std::nullopt;
  }
  std::string iso;
  iso.append(text.substr(0, 4)).append("-").append(text.substr(4, 2)).append("-");
  iso.append(text.substr(6, 2)).append("T").append(text.substr(9, 2)).append(":");
  iso.append(text.substr(11, 2)).append(":").append(text.substr(13, 2)).append("Z");
  return iso;
}

std::string shown(core::SystemTime t) {
  return core::iso8601_utc(std::chrono::floor<std::chrono::seconds>(t));
}

} // namespace

std::optional<std::string> untrusted_date(const DateEvidence& evidence, core::SystemTime now) {
  const auto created = evidence.created_at;
  const std::string what = "created_at " + shown(created);
  if (created > now + k_clock_skew) {
    return what + " is in the future (now " + shown(now) + ")";
  }
  if (evidence.finished && *evidence.finished + k_clock_skew < created) {
    return what + " is after its manifest's finished_at " + shown(*evidence.finished);
  }
  if (evidence.named
      && (*evidence.named + k_clock_skew < created || created + k_clock_skew < *evidence.named)) {
    return what + " contradicts the time in its file name " + shown(*evidence.named);
  }
  if (evidence.modified && *evidence.modified + k_clock_skew < created) {
    return what + " is after the file was last written (" + shown(*evidence.modified) + ")";
  }
  return std::nullopt;
}

std::optional<core::SystemTime> time_in_file_name(std::string_view name) {
  for (std::size_t at = name.find('T'); at != std::string_view::npos; at = name.find('T', at + 1)) {
    if (at >= 8 && at + 8 <= name.size()) {
      if (const auto iso = iso_of_compact(name.substr(at - 8, 16))) {
        return parse_iso8601_utc(*iso);
      }
    }
  }
  return std::nullopt;
}

} // namespace pbk::repository
