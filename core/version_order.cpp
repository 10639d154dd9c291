// SPDX-License-Identifier: MIT
#include "core/version_order.hpp"

#include "core/decimal.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace pbk::core {
namespace {

struct SemVer {
  std::vector<std::string_view> core; // MAJOR, MINOR, PATCH
  std::vector<std::string_view> pre;  // dot-separated pre-release identifiers
};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string_view::npos) {
      return parts;
    }
    start = at + 1;
  }
}

bool all_digits(std::string_view text) {
  return !text.empty()
         && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool identifier_ok(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

std::optional<SemVer> try_parse(std::string_view text) {
  text = text.substr(0, text.find('+'));
  SemVer version;
  const auto dash = text.find('-');
  version.core = split(text.substr(0, dash), '.');
  if (version.core.size() != 3
      || !std::all_of(version.core.begin(), version.core.end(), all_digits)) {
    return std::nullopt;
  }
  if (dash != std::string_view::npos) {
    version.pre = split(text.substr(dash + 1), '.');
    if (!std::all_of(version.pre.begin(), version.pre.end(), identifier_ok)) {
      return std::nullopt;
    }
  }
  return version;
}

SemVer parse(std::string_view text) {
  auto version = try_parse(text);
  if (!version) {
    throw core::Error(core::ExitCode::usage,
                      "'" + std::string(text)
                          + "' is not a release version (MAJOR.MINOR.PATCH, e.g. 3.3.6 or "
                            "2.0.0-beta.1)");
  }
  return *version;
}

// Pre-release identifiers: numbers numerically, numbers before words, words by ASCII.
int compare_identifier(std::string_view a, std::string_view b) {
  const bool a_number = all_digits(a);
  const bool b_number = all_digits(b);
  if (a_number && b_number) {
    return compare_levels(a, b);
  }
  if (a_number != b_number) {
    return a_number ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

} // namespace

int compare_levels(std::string_view a, std::string_view b) {
  const auto strip = [](std::string_view s) {
    const auto first = s.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view{} : s.substr(first);
  };
  a = strip(a);
  b = strip(b);
  if (a.size() != b.size()) {
    return a.size() < b.size() ? -1 : 1;
  }
  const int order = a.compare(b);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

int compare_versions(std::string_view a, std::string_view b) {
  const SemVer x = parse(a);
  const SemVer y = parse(b);
  for (std::size_t i = 0; i < 3; ++i) {
    if (const int order = compare_levels(x.core[i], y.core[i]); order != 0) {
      return order;
    }
  }
  // A version with a pre-release comes before the release itself.
  if (x.pre.empty() || y.pre.empty()) {
    return x.pre.empty() == y.pre.empty() ? 0 : (x.pre.empty() ? 1 : -1);
  }
  for (std::size_t i = 0; i < std::min(x.pre.size(), y.pre.size()); ++i) {
    if (const int order = compare_identifier(x.pre[i], y.pre[i]); order != 0) {
      return order;
    }
  }
  return x.pre.size() == y.pre.size() ? 0 : (x.pre.size() < y.pre.size() ? -1 : 1);
}

bool is_semver(std::string_view version) {
  return try_parse(version).has_value();
}

int major_version(std::string_view version) {
  // The core is all digits; one too large for an int is simply a very high major.
  return core::parse_decimal<int>(parse(version).core[0]).value_or(std::numeric_limits<int>::max());
}

int message_migration_number(std::string_view text, const std::string& where) {
  const auto number = all_digits(text) ? core::parse_decimal<int>(text) : std::nullopt;
  if (!number) {
    throw core::IntegrityError(where + ": message-DB migration '" + std::string(text)
                                   + "' is not a migration number",
                               {"the archive is damaged or was not written by postal-backup"});
  }
  return *number;
}

} // namespace pbk::core
