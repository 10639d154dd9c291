// SPDX-License-Identifier: MIT
// ZstdDecompressSource is the pull-side twin of ZstdDecompressSink: read() returns the plain
// bytes of the zstd data read from `in` (borrowed), for consumers that pull, such as the client
// library's LOAD DATA LOCAL handler. Concatenated frames are one stream. Damage is an
// IntegrityError "<label>: zstd: <reason>", input ending inside a frame is "<label>: truncated
// zstd frame". Empty input is simply empty output: callers check sizes against the manifest.
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

struct ZSTD_DCtx_s;

namespace pbk::core::compress {

class ZstdDecompressSource : public io::ByteSource {
public:
  ZstdDecompressSource(io::ByteSource& in, std::string label);

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

private:
  static void free_context(ZSTD_DCtx_s* context) noexcept;

  // Refills m_input from m_in; false at the end of the input.
  bool refill();

  io::ByteSource& m_in;
  std::string m_label;
  UniqueHandle<ZSTD_DCtx_s, &ZstdDecompressSource::free_context> m_context;
  std::vector<std::byte> m_input;
  std::size_t m_input_pos = 0;
  std::size_t m_input_size = 0;
  bool m_in_frame = false;      // the last call left a frame unfinished
  bool m_may_hold_data = false; // the last call filled the output: the decoder may hold more
  bool m_end = false;
  bool m_any_input = false; // an empty member holds no frame: damage, not an empty table
};

} // namespace pbk::core::compress
