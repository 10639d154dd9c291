// SPDX-License-Identifier: MIT
// ZstdCompressSink turns everything written into it into ONE zstd frame for the next stage.
// The frame carries a content checksum (so `zstd -t` and our reader detect damage) and no
// content size (it is not known while streaming). finish() ends the frame, then finishes the
// next stage; a sink destroyed without finish() leaves an unfinished frame behind.
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <vector>

struct ZSTD_CCtx_s;

namespace pbk::core::compress {

class ZstdCompressSink : public io::ByteSink {
public:
  // workers > 0 compresses on that many extra threads (ZSTD_c_nbWorkers); 0 = in the caller.
  explicit ZstdCompressSink(io::ByteSink& next, int level = 3, int workers = 0);

  using io::ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override;

private:
  static void free_context(ZSTD_CCtx_s* context) noexcept;

  io::ByteSink& m_next;
  UniqueHandle<ZSTD_CCtx_s, &ZstdCompressSink::free_context> m_context;
  std::vector<std::byte> m_out;
};

} // namespace pbk::core::compress
