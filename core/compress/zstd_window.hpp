// SPDX-License-Identifier: MIT
// The largest window a frame may ask the decoder to keep. A frame names its own window size;
// left at zstd's default (128 MiB) a crafted member would make every decoder hold that much.
// Archives are written at levels 1–19, whose windows are at most 8 MiB (log 23).
#pragma once

#include <string>

struct ZSTD_DCtx_s;

namespace pbk::core::compress {

inline constexpr int k_max_window_log = 24;

// Applies k_max_window_log to `context`; a frame asking for more is an IntegrityError then.
void limit_window(ZSTD_DCtx_s* context, const std::string& label);

} // namespace pbk::core::compress
