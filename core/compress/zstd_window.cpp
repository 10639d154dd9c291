// SPDX-License-Identifier: MIT
#include "core/compress/zstd_window.hpp"

#include "core/error.hpp"

#include <zstd.h>

namespace pbk::core::compress {

void limit_window(ZSTD_DCtx_s* context, const std::string& label) {
  const std::size_t result = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, k_max_window_log);
  if (ZSTD_isError(result) != 0) {
    throw Error(ExitCode::runtime,
                label + ": zstd: cannot limit the window size: " + ZSTD_getErrorName(result));
  }
}

} // namespace pbk::core::compress
