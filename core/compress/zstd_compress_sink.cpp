// SPDX-License-Identifier: MIT
// The loops follow FIO_compressZstdFrame in zstd's programs/fileio.c: feed input with
// ZSTD_e_continue until consumed, then call ZSTD_e_end until it reports nothing left to flush.
// Output is pushed to the next stage after every call, so memory stays bounded.
#include "core/compress/zstd_compress_sink.hpp"

#include "core/error.hpp"

#include <zstd.h>

#include <string>

namespace pbk::core::compress {

namespace {

std::size_t check(std::size_t result, const std::string& what) {
  if (ZSTD_isError(result) != 0) {
    throw Error(ExitCode::runtime, "zstd: " + what + ": " + ZSTD_getErrorName(result));
  }
  return result;
}

} // namespace

void ZstdCompressSink::free_context(ZSTD_CCtx_s* context) noexcept {
  ZSTD_freeCCtx(context);
}

ZstdCompressSink::ZstdCompressSink(io::ByteSink& next, int level, int workers)
    : m_next(next),
      m_context(ZSTD_createCCtx()),
      m_out(ZSTD_CStreamOutSize()) {
  if (!m_context) {
    throw Error(ExitCode::runtime, "zstd: cannot create a compression context: out of memory");
  }
  ZSTD_CCtx* cctx = m_context.get();
  check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level),
        "cannot set compression level " + std::to_string(level));
  check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1), "cannot enable frame checksums");
  if (workers > 0) {
    check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, workers),
          "cannot use " + std::to_string(workers) + " compression threads");
    // Small jobs let the workers start while the caller is still producing input; with
    // zstd's default (several MiB) a typical member would be one job compressed at its end.
    check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_jobSize, 1 << 20), "cannot set the job size");
  }
}

void ZstdCompressSink::write(std::span<const std::byte> data) {
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
    check(ZSTD_compressStream2(m_context.get(), &out, &in, ZSTD_e_continue), "compression failed");
    if (out.pos > 0) {
      m_next.write(std::span(m_out.data(), out.pos));
    }
  }
}

void ZstdCompressSink::finish() {
  ZSTD_inBuffer in{nullptr, 0, 0};
  std::size_t remaining = 0;
  do {
    ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
    remaining =
        check(ZSTD_compressStream2(m_context.get(), &out, &in, ZSTD_e_end), "cannot end the frame");
    if (out.pos > 0) {
      m_next.write(std::span(m_out.data(), out.pos));
    }
  } while (remaining != 0);
  m_next.finish();
}

} // namespace pbk::core::compress
