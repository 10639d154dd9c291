// SPDX-License-Identifier: MIT
// ZstdDecompressSource is the one zstd decoder of the tool: read() returns the plain bytes of
// the zstd data read from `in` (borrowed). verify and restore both read members through it
// (archive::MemberReader), so verify exercises exactly the decoding a restore relies on.
// Concatenated frames are one stream. Damage is an IntegrityError "<label>: zstd: <reason>",
// input ending inside a frame is "<label>: truncated zstd frame", and input with no frame at
// all is "<label>: empty input, expected a zstd frame" (an empty table's member still holds
// one frame).
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string>

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
  // Not zeroed: a member of a few bytes would otherwise touch every page of it, and an
  // archive has hundreds of such members. Only the bytes a read returned are used.
  std::unique_ptr<std::byte[]> m_input;
  std::size_t m_input_capacity = 0;
  std::size_t m_input_pos = 0;
  std::size_t m_input_size = 0;
  bool m_in_frame = false;      // the last call left a frame unfinished
  bool m_may_hold_data = false; // the last call filled the output: the decoder may hold more
  bool m_end = false;
  bool m_any_input = false; // an empty member holds no frame: damage, not an empty table
};

} // namespace pbk::core::compress
