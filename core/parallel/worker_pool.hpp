// SPDX-License-Identifier: MIT
// The one way the tool runs work on several threads (backup lanes, verify's member checks,
// restore's loaders). Each thread runs its body once; the first exception any body throws is
// kept, `on_failure` runs once in that thread to wake the others (typically by aborting the
// queue they wait on), and join() rethrows it once all have ended. No thread outlives its
// pool: the destructor joins. Each thread holds the database client's thread setup, so a body
// may open connections.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pbk::core::parallel {

class WorkerPool {
public:
  using Body = std::function<void(std::size_t worker)>;

  // Starts max(1, workers) threads running body(worker).
  WorkerPool(std::size_t workers, Body body, std::function<void()> on_failure = {});
  ~WorkerPool(); // joins; a failure nobody asked for with join() is dropped
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Waits for every thread, then rethrows the first failure.
  void join();
  // For the thread feeding the workers: rethrows the first failure as soon as there is one.
  void rethrow_if_failed();

  [[nodiscard]] bool failed() const noexcept { return m_failed; }

private:
  void run(std::size_t worker) noexcept;
  void join_all() noexcept;

  Body m_body;
  std::function<void()> m_on_failure;
  std::atomic<bool> m_failed{false};
  std::mutex m_mutex;
  std::exception_ptr m_failure;
  std::vector<std::thread> m_threads;
};

// Calls work(lane, item) for every item in [0, items), each lane taking the next item as soon
// as it is free, so a few large items and many small ones still keep every lane busy. After
// a failure no lane takes another item; the failure is rethrown once all have ended. One lane
// runs in the calling thread.
void run_on_lanes(std::size_t lanes,
                  std::size_t items,
                  const std::function<void(std::size_t lane, std::size_t item)>& work);

} // namespace pbk::core::parallel
