// SPDX-License-Identifier: MIT
// libFuzzer target: the table-definition check a restore puts an archive's schema.sql
// through. Input: the table's name, a line feed, then the schema.sql text. A refusal must be
// a core::Error.
#include "archive/create_table_statement.hpp"

#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto line_end = input.find('\n');
  if (line_end == std::string_view::npos) {
    return 0;
  }
  try {
    (void)pbk::archive::checked_create_table(
        input.substr(line_end + 1), input.substr(0, line_end), {}, "fuzz.tar");
  } catch (const pbk::core::Error&) {
  }
  return 0;
}
