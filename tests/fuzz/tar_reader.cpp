// SPDX-License-Identifier: MIT
// libFuzzer target: any bytes read as an archive. The reader may refuse them only with a
// core::Error; anything else (a crash, an uncaught exception, an allocation the input's size
// does not justify) is a finding.
#include "core/tar/tar_reader.hpp"

#include "core/error.hpp"
#include "core/io/span_source.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pbk::core::io::SpanSource source(std::as_bytes(std::span(data, size)));
  try {
    pbk::core::tar::TarReader reader(source, "fuzz.tar");
    std::array<std::byte, 4096> buffer{};
    while (reader.next()) {
      while (reader.read(buffer) > 0) {
      }
    }
  } catch (const pbk::core::Error&) {
  }
  return 0;
}
