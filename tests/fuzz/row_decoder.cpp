// SPDX-License-Identifier: MIT
// libFuzzer target: the row grammar of a rows member's decompressed bytes. The first input
// byte picks the size of the writes (rows arrive split at any byte from zstd), the rest is
// the data. A refusal must be a core::Error.
#include "core/rowcodec/row_decoder.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// Stored so that the reads of the fields cannot be optimised away.
volatile std::size_t g_bytes_seen = 0; // NOLINT: a sink for the optimiser, not state

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t piece = std::size_t{data[0]} + 1;
  auto rest = std::as_bytes(std::span(data + 1, size - 1));
  std::size_t bytes_seen = 0;
  pbk::core::rowcodec::RowDecoder decoder(
      [&](std::span<const std::optional<std::string_view>> fields) {
        for (const auto& field : fields) {
          if (field) {
            bytes_seen += field->size(); // touches what the views claim, for ASan
            bytes_seen += field->empty() ? 0 : static_cast<unsigned char>(field->back());
          }
        }
      },
      "postal/fuzz.0001.rows.zst");
  try {
    while (!rest.empty()) {
      const auto n = std::min(piece, rest.size());
      decoder.write(rest.first(n));
      rest = rest.subspan(n);
    }
    decoder.finish();
  } catch (const pbk::core::Error&) {
  }
  g_bytes_seen = bytes_seen;
  return 0;
}
