// SPDX-License-Identifier: MIT
#include "tests/support/zstd_text.hpp"

#include "core/compress/zstd_compress_sink.hpp"
#include "core/compress/zstd_decompress_source.hpp"
#include "core/io/memory_sink.hpp"
#include "core/io/span_source.hpp"

#include <array>

namespace pbk::test {

std::string zstd_compressed(std::string_view text) {
  core::io::MemorySink out;
  core::compress::ZstdCompressSink zstd(out);
  zstd.write(text);
  zstd.finish();
  return std::string(out.view());
}

std::string zstd_decompressed(std::string_view stored) {
  core::io::SpanSource in(core::io::bytes_of(stored));
  core::compress::ZstdDecompressSource zstd(in, "member");
  std::string plain;
  std::array<std::byte, 64 * 1024> buffer{};
  while (const std::size_t n = zstd.read(buffer)) {
    plain.append(reinterpret_cast<const char*>(buffer.data()), n);
  }
  return plain;
}

} // namespace pbk::test
