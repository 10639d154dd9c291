// SPDX-License-Identifier: MIT
#include "core/parallel/worker_pool.hpp"

#include "core/db/library.hpp"

#include <algorithm>

namespace pbk::core::parallel {

WorkerPool::WorkerPool(std::size_t workers, Body body, std::function<void()> on_failure)
    : m_body(std::move(body)),
      m_on_failure(std::move(on_failure)) {
  const auto count = std::max<std::size_t>(1, workers);
  m_threads.reserve(count);
  try {
    for (std::size_t worker = 0; worker < count; ++worker) {
      m_threads.emplace_back([this, worker] { run(worker); });
    }
  } catch (...) {
    // The threads already running must not outlive the pool: wake them, then wait.
    m_failed = true;
    if (m_on_failure) {
      m_on_failure();
    }
    join_all();
    throw;
  }
}

WorkerPool::~WorkerPool() {
  join_all();
}

void WorkerPool::run(std::size_t worker) noexcept {
  try {
    const core::db::ThreadGuard thread_guard;
    m_body(worker);
  } catch (...) {
    {
      const std::lock_guard lock(m_mutex);
      if (m_failure) {
        return; // a later failure, most often caused by the first: keep the first
      }
      m_failure = std::current_exception();
      m_failed = true;
    }
    if (m_on_failure) {
      m_on_failure();
    }
  }
}

void WorkerPool::join_all() noexcept {
  for (auto& thread : m_threads) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void WorkerPool::join() {
  join_all();
  rethrow_if_failed();
}

void WorkerPool::rethrow_if_failed() {
  const std::lock_guard lock(m_mutex);
  if (m_failure) {
    std::rethrow_exception(m_failure);
  }
}

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
  std::atomic<bool> stop{false};
  WorkerPool pool(
      lanes,
      [&](std::size_t lane) {
        for (std::size_t item = next++; item < items && !stop; item = next++) {
          work(lane, item);
        }
      },
      [&] { stop = true; });
  pool.join();
}

} // namespace pbk::core::parallel
