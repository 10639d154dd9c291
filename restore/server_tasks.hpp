// SPDX-License-Identifier: MIT
// Runs work on the target server on a few connections of its own while the load goes on: a
// drill reads each table back as soon as its last member is loaded
// (StagingOptions::on_table_loaded) instead of after the whole load, so the reads use the
// cores the loaders leave idle between members (docs/performance.md, "Drills and selective
// restores").
#pragma once

#include "core/db/connection.hpp"
#include "core/parallel/worker_pool.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace pbk::restore {

class ServerTasks {
public:
  using Task = std::function<void(core::db::Connection&)>;

  // Up to `lanes` connections, each opened (and given `prepare`) when its lane takes its
  // first task.
  ServerTasks(core::db::ConnectionOptions connection,
              std::size_t lanes,
              std::function<void(core::db::Connection&)> prepare = {});
  // Takes no further task (one running runs to its end) and joins the lanes.
  ~ServerTasks();
  ServerTasks(const ServerTasks&) = delete;
  ServerTasks& operator=(const ServerTasks&) = delete;

  // From any thread.
  void add(Task task);
  // Waits for every task added; rethrows the first failure.
  void finish();

private:
  void run_lane();
  [[nodiscard]] std::optional<Task> next();
  void stop();

  core::db::ConnectionOptions m_connection;
  std::function<void(core::db::Connection&)> m_prepare;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Task> m_waiting;
  bool m_closed = false;
  bool m_stopped = false;
  // Last: joined before anything its threads use goes away.
  std::optional<core::parallel::WorkerPool> m_lanes;
};

} // namespace pbk::restore
