// SPDX-License-Identifier: MIT
// libFuzzer target: any text parsed as backup.json and as manifest.json (the corpus holds
// both). A refusal must be a core::Error; a manifest that parses must serialize again.
#include "manifest/manifest_json.hpp"

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void parse_backup_info(std::string_view text) {
  try {
    const auto info = pbk::manifest::parse_backup_info(text);
    (void)pbk::manifest::serialize(info);
  } catch (const pbk::core::Error&) {
  }
}

void parse_manifest(std::string_view text) {
  try {
    (void)pbk::manifest::manifest_self_hash_matches(text);
    (void)pbk::manifest::authenticated_text(text);
    auto manifest = pbk::manifest::parse_manifest(text);
    (void)pbk::manifest::serialize(manifest);
  } catch (const pbk::core::Error&) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  parse_backup_info(text);
  parse_manifest(text);
  return 0;
}
