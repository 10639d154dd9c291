// SPDX-License-Identifier: MIT
// ZstdDecompressSink decodes zstd data written into it and pushes the plain bytes to the next
// stage. Several concatenated frames are one stream, as for `zstd -d`. Every failure is an
// IntegrityError prefixed with the label (the member's name): damage in the data itself
// ("<label>: zstd: <reason>"), or input that stops inside a frame ("<label>: truncated zstd
// frame"). Empty input is rejected too: the writer always emits at least one frame.
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <string>
#include <vector>

struct ZSTD_DCtx_s;

namespace pbk::core::compress {

class ZstdDecompressSink : public io::ByteSink {
public:
  ZstdDecompressSink(io::ByteSink& next, std::string label);

  using io::ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override;

private:
  static void free_context(ZSTD_DCtx_s* context) noexcept;

  io::ByteSink& m_next;
  std::string m_label;
  UniqueHandle<ZSTD_DCtx_s, &ZstdDecompressSink::free_context> m_context;
  std::vector<std::byte> m_out;
  bool m_seen_input = false;
  bool m_in_frame = false;
};

} // namespace pbk::core::compress
