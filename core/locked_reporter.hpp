// SPDX-License-Identifier: MIT
// A Reporter that several threads may use at once: calls reach the wrapped reporter one at a
// time, so progress lines and warnings from parallel work never interleave.
#pragma once

#include "core/reporter.hpp"

#include <mutex>

namespace pbk::core {

class LockedReporter final : public Reporter {
public:
  explicit LockedReporter(Reporter& inner)
      : m_inner(inner) {}

  void info(std::string_view message) override {
    const std::lock_guard lock(m_mutex);
    m_inner.info(message);
  }

  void warn(std::string_view message) override {
    const std::lock_guard lock(m_mutex);
    m_inner.warn(message);
  }

  void progress(const Progress& progress) override {
    const std::lock_guard lock(m_mutex);
    m_inner.progress(progress);
  }

private:
  Reporter& m_inner;
  std::mutex m_mutex;
};

} // namespace pbk::core
