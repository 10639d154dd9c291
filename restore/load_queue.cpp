// SPDX-License-Identifier: MIT
#include "restore/load_queue.hpp"

namespace pbk::restore {

bool LoadQueue::push(LoadJob job) {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] {
    return m_aborted || m_bytes == 0 || m_bytes + job.compressed.size() <= m_max_bytes;
  });
  if (m_aborted) {
    return false;
  }
  m_bytes += job.compressed.size();
  m_jobs.push_back(std::move(job));
  m_changed.notify_all();
  return true;
}

std::optional<LoadJob> LoadQueue::pop() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_aborted || m_closed || !m_jobs.empty(); });
  if (m_aborted || m_jobs.empty()) {
    return std::nullopt;
  }
  LoadJob job = std::move(m_jobs.front());
  m_jobs.pop_front();
  return job;
}

void LoadQueue::done(std::size_t bytes) {
  std::lock_guard lock(m_mutex);
  m_bytes -= bytes;
  m_changed.notify_all();
}

void LoadQueue::close() {
  std::lock_guard lock(m_mutex);
  m_closed = true;
  m_changed.notify_all();
}

void LoadQueue::abort() {
  std::lock_guard lock(m_mutex);
  m_aborted = true;
  m_changed.notify_all();
}

} // namespace pbk::restore
