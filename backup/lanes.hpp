// SPDX-License-Identifier: MIT
// Work items shared out over lanes: each lane is a thread that takes the next item as soon
// as it is free, so a few large tables and many small ones still keep every lane busy. The
// first failure stops the lanes from taking more items and is rethrown once all have ended.
#pragma once

#include <cstddef>
#include <functional>

namespace pbk::backup {

// Calls work(lane, item) for every item in [0, items); lanes = 1 runs in the calling thread.
// Each lane thread holds the database client's thread setup, so `work` may use connections.
void run_on_lanes(std::size_t lanes,
                  std::size_t items,
                  const std::function<void(std::size_t lane, std::size_t item)>& work);

} // namespace pbk::backup
