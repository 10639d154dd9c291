// SPDX-License-Identifier: MIT
#include "archive/member_path.hpp"

#include <cstdio>

namespace pbk::archive {
namespace {

bool is_plain(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
         || c == '_' || c == '-';
}

std::string table_dir(std::string_view database, std::string_view table) {
  return escape_path_component(database) + "/" + escape_path_component(table) + "/";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1; // escape_path_component writes upper case only
}

// The inverse of escape_path_component, refusing any text it could not have written.
std::optional<std::string> unescape_path_component(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != '%') {
      if (!is_plain(c)) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::nullopt;
    }
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  if (escape_path_component(out) != text) {
    return std::nullopt; // e.g. %41 for a plain 'A': not a path this tool writes
  }
  return out;
}

} // namespace

std::string escape_path_component(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (unsigned char c : name) {
    if (is_plain(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  // "." and ".." are plain characters but not plain names.
  if (out == "." || out == "..") {
    out = out == "." ? "%2E" : "%2E%2E";
  }
  return out;
}

std::string schema_member_path(std::string_view database, std::string_view table) {
  return table_dir(database, table) + "schema.sql.zst";
}

std::string rows_member_path(std::string_view database, std::string_view table, std::size_t chunk) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "rows-%06zu.tsv.zst", chunk);
  return table_dir(database, table) + suffix;
}

std::string config_member_path(std::string_view file_name) {
  return "config/" + escape_path_component(file_name) + ".zst";
}

std::optional<std::string> config_file_name(std::string_view member_path) {
  constexpr std::string_view prefix = "config/";
  constexpr std::string_view suffix = ".zst";
  if (!member_path.starts_with(prefix) || !member_path.ends_with(suffix)
      || member_path.size() <= prefix.size() + suffix.size()) {
    return std::nullopt;
  }
  const auto escaped =
      member_path.substr(prefix.size(), member_path.size() - prefix.size() - suffix.size());
  if (escaped.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  auto name = unescape_path_component(escaped);
  if (!name || !is_plain_file_name(*name)) {
    return std::nullopt;
  }
  return name;
}

bool is_plain_file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos
         && name.find('\0') == std::string_view::npos;
}

} // namespace pbk::archive
