// SPDX-License-Identifier: MIT
#include "manifest/member_path.hpp"

#include <cstdio>

namespace pbk::manifest {
namespace {

bool is_plain(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
         || c == '_' || c == '-';
}

std::string table_dir(std::string_view database, std::string_view table) {
  return escape_path_component(database) + "/" + escape_path_component(table) + "/";
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

} // namespace pbk::manifest
