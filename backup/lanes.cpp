// SPDX-License-Identifier: MIT
#include "backup/lanes.hpp"

#include "core/db/library.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace pbk::backup {

void run_on_lanes(std::size_t lanes,
                  std::size_t items,
                  const std::function<void(std::size_t lane, std::size_t item)>& work) {
  if (lanes <= 1) {
    for (std::size_t item = 0; item < items; ++item) {
      work(0, item);
    }
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto lane_main = [&](std::size_t lane) {
    try {
      const core::db::ThreadGuard thread_guard;
      while (!failed) {
        const std::size_t item = next++;
        if (item >= items) {
          break;
        }
        work(lane, item);
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) {
        failure = std::current_exception();
      }
      failed = true;
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(lanes);
  try {
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      threads.emplace_back(lane_main, lane);
    }
  } catch (...) {
    failed = true; // the lanes already running stop after their item
    for (auto& thread : threads) {
      thread.join();
    }
    throw;
  }
  for (auto& thread : threads) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

} // namespace pbk::backup
