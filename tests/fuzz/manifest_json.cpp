// SPDX-License-Identifier: MIT
// libFuzzer target: any text parsed as backup.json and as manifest.json (the corpus holds
// both). A refusal must be a core::Error; a manifest that parses must serialize again.
#include "archive/manifest_json.hpp"

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void parse_backup_info(std::string_view text) {
  try {
    const auto info = pbk::archive::parse_backup_info(text);
    (void)pbk::archive::serialize(info);
  } catch (const pbk::core::Error&) {
  }
}

void parse_manifest(std::string_view text) {
  try {
    (void)pbk::archive::manifest_self_hash_matches(text);
    (void)pbk::archive::authenticated_text(text);
    auto manifest = pbk::archive::parse_manifest(text);
    (void)pbk::archive::serialize(manifest);
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
