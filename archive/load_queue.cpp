// SPDX-License-Identifier: MIT
#include "archive/load_queue.hpp"

#include <algorithm>

namespace pbk::archive {

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

std::deque<LoadJob>::iterator LoadQueue::next_loadable() {
  return std::find_if(m_jobs.begin(), m_jobs.end(), [&](const LoadJob& job) {
    return job.table.empty() || !m_first_loading.contains({job.database, job.table});
  });
}

std::optional<LoadJob> LoadQueue::pop() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] {
    return m_aborted || (m_closed && m_jobs.empty()) || next_loadable() != m_jobs.end();
  });
  const auto next = next_loadable();
  if (m_aborted || next == m_jobs.end()) {
    return std::nullopt;
  }
  LoadJob job = std::move(*next);
  m_jobs.erase(next);
  TableId table{job.database, job.table};
  if (!job.table.empty() && !m_holding_rows.contains(table)) {
    m_first_loading.insert(std::move(table));
  }
  return job;
}

void LoadQueue::done(std::size_t bytes, const TableId& table, bool committed_rows) {
  std::lock_guard lock(m_mutex);
  m_bytes -= bytes;
  m_first_loading.erase(table);
  if (committed_rows) {
    m_holding_rows.insert(table);
  }
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

} // namespace pbk::archive
