// SPDX-License-Identifier: MIT
// ZSTD_decompressStream returns 0 exactly when a frame is complete and fully flushed. A call
// without input is only made inside a frame whose last call filled the output (the decoder
// may still hold bytes); outside a frame it would open a new one and hide the end of input.
#include "core/compress/zstd_decompress_source.hpp"

#include "core/compress/zstd_window.hpp"
#include "core/error.hpp"

#include <zstd.h>

#include <utility>

namespace pbk::core::compress {

void ZstdDecompressSource::free_context(ZSTD_DCtx_s* context) noexcept {
  ZSTD_freeDCtx(context);
}

ZstdDecompressSource::ZstdDecompressSource(io::ByteSource& in, std::string label)
    : m_in(in),
      m_label(std::move(label)),
      m_context(ZSTD_createDCtx()),
      m_input(std::make_unique_for_overwrite<std::byte[]>(ZSTD_DStreamInSize())),
      m_input_capacity(ZSTD_DStreamInSize()) {
  if (!m_context) {
    throw Error(ExitCode::runtime,
                m_label + ": zstd: cannot create a decompression context: out of memory");
  }
  limit_window(m_context.get(), m_label);
}

bool ZstdDecompressSource::refill() {
  if (m_end) {
    return false;
  }
  const std::size_t n = m_in.read(std::span(m_input.get(), m_input_capacity));
  if (n == 0) {
    m_end = true;
    return false;
  }
  m_input_pos = 0;
  m_input_size = n;
  return true;
}

std::size_t ZstdDecompressSource::read(std::span<std::byte> buffer) {
  if (buffer.empty()) {
    return 0;
  }
  ZSTD_outBuffer out{buffer.data(), buffer.size(), 0};
  while (out.pos == 0) {
    const bool need_input = !(m_in_frame && m_may_hold_data);
    if (m_input_pos == m_input_size && need_input && !refill()) {
      if (m_in_frame) {
        throw IntegrityError(m_label + ": truncated zstd frame");
      }
      if (!m_any_input) {
        throw IntegrityError(m_label + ": empty input, expected a zstd frame");
      }
      return 0;
    }
    m_any_input = true;
    ZSTD_inBuffer in{m_input.get(), m_input_size, m_input_pos};
    const std::size_t result = ZSTD_decompressStream(m_context.get(), &out, &in);
    if (ZSTD_isError(result) != 0) {
      throw IntegrityError(m_label + ": zstd: " + ZSTD_getErrorName(result));
    }
    m_input_pos = in.pos;
    m_in_frame = result != 0;
    m_may_hold_data = out.pos == out.size;
  }
  return out.pos;
}

} // namespace pbk::core::compress
