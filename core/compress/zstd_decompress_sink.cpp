// SPDX-License-Identifier: MIT
// ZSTD_decompressStream returns 0 exactly when a frame is complete and fully flushed; any
// other value means it expects more input. That return value after the last write is how
// truncation is detected in finish().
#include "core/compress/zstd_decompress_sink.hpp"

#include "core/compress/zstd_window.hpp"
#include "core/error.hpp"

#include <zstd.h>

#include <utility>

namespace pbk::core::compress {

void ZstdDecompressSink::free_context(ZSTD_DCtx_s* context) noexcept {
  ZSTD_freeDCtx(context);
}

ZstdDecompressSink::ZstdDecompressSink(io::ByteSink& next, std::string label)
    : m_next(next),
      m_label(std::move(label)),
      m_context(ZSTD_createDCtx()),
      m_out(ZSTD_DStreamOutSize()) {
  if (!m_context) {
    throw Error(ExitCode::runtime,
                m_label + ": zstd: cannot create a decompression context: out of memory");
  }
  limit_window(m_context.get(), m_label);
}

void ZstdDecompressSink::write(std::span<const std::byte> data) {
  if (data.empty()) {
    return;
  }
  m_seen_input = true;
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  ZSTD_outBuffer out{};
  // Keep calling while input is left, or while a frame is open and the output buffer came back
  // full: then the decoder may still hold decoded bytes although it has consumed all input.
  // (After a finished frame, a call without input would open the next one: not wanted.)
  do {
    out = ZSTD_outBuffer{m_out.data(), m_out.size(), 0};
    const std::size_t result = ZSTD_decompressStream(m_context.get(), &out, &in);
    if (ZSTD_isError(result) != 0) {
      throw IntegrityError(m_label + ": zstd: " + ZSTD_getErrorName(result));
    }
    m_in_frame = result != 0;
    if (out.pos > 0) {
      m_next.write(std::span(m_out.data(), out.pos));
    }
  } while (in.pos < in.size || (m_in_frame && out.pos == out.size));
}

void ZstdDecompressSink::finish() {
  if (!m_seen_input) {
    throw IntegrityError(m_label + ": empty input, expected a zstd frame");
  }
  if (m_in_frame) {
    throw IntegrityError(m_label + ": truncated zstd frame");
  }
  m_next.finish();
}

} // namespace pbk::core::compress
