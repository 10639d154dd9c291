// SPDX-License-Identifier: MIT
// libFuzzer target: any bytes as a repository backup's reference entry (`<sha256> <size>\n`).
// A refusal must be an IntegrityError; an accepted reference must name a stored member (64
// lower-case hex digits, never a path) and print back to the very same text.
#include "archive/member_store.hpp"

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto reference = pbk::archive::parse_reference(text, "fuzz");
    if (!pbk::archive::is_stored_member_name(reference.sha256)
        || pbk::archive::reference_text(reference) != text) {
      std::abort();
    }
  } catch (const pbk::core::IntegrityError&) {
  }
  return 0;
}
