// SPDX-License-Identifier: MIT
#include "restore/server_tasks.hpp"

#include <algorithm>

namespace pbk::restore {

using core::db::Connection;

ServerTasks::ServerTasks(core::db::ConnectionOptions connection,
                         std::size_t lanes,
                         std::function<void(Connection&)> prepare)
    : m_connection(std::move(connection)),
      m_prepare(std::move(prepare)) {
  m_lanes.emplace(
      std::max<std::size_t>(1, lanes), [this](std::size_t) { run_lane(); }, [this] { stop(); });
}

ServerTasks::~ServerTasks() {
  stop();
}

void ServerTasks::stop() {
  std::lock_guard lock(m_mutex);
  m_stopped = true;
  m_changed.notify_all();
}

void ServerTasks::add(Task task) {
  std::lock_guard lock(m_mutex);
  if (m_closed || m_stopped) {
    return;
  }
  m_waiting.push_back(std::move(task));
  m_changed.notify_one();
}

std::optional<ServerTasks::Task> ServerTasks::next() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return m_stopped || m_closed || !m_waiting.empty(); });
  if (m_stopped || m_waiting.empty()) {
    return std::nullopt;
  }
  auto task = std::move(m_waiting.front());
  m_waiting.pop_front();
  return task;
}

void ServerTasks::run_lane() {
  std::optional<Connection> connection;
  while (auto task = next()) {
    if (!connection) {
      connection.emplace(Connection::connect(m_connection));
      if (m_prepare) {
        m_prepare(*connection);
      }
    }
    (*task)(*connection);
  }
}

void ServerTasks::finish() {
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
  }
  m_lanes->join();
}

} // namespace pbk::restore
