// SPDX-License-Identifier: MIT
#include "core/failpoint.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

namespace pbk::core {

void failpoint(std::string_view name) {
  const char* armed = std::getenv("POSTAL_BACKUP_FAILPOINT");
  if (armed == nullptr) {
    return;
  }
  const std::string_view spec(armed);
  const auto hash = spec.find('#');
  if (spec.substr(0, hash) != name) {
    return;
  }
  static std::atomic<long> passes{0};
  const long wanted = hash == std::string_view::npos ? 1 : std::atol(armed + hash + 1);
  if (++passes >= wanted) {
    std::raise(SIGKILL);
  }
}

void pausepoint(std::string_view name) {
  const char* armed = std::getenv("POSTAL_BACKUP_PAUSEPOINT");
  if (armed == nullptr) {
    return;
  }
  const std::string_view spec(armed);
  const auto equals = spec.find('=');
  if (equals == std::string_view::npos || spec.substr(0, equals) != name) {
    return;
  }
  static std::atomic<bool> passed{false};
  if (passed.exchange(true)) {
    return;
  }
  long milliseconds = 0;
  std::from_chars(spec.data() + equals + 1, spec.data() + spec.size(), milliseconds);
  std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp(milliseconds, 0L, 60'000L)));
}

} // namespace pbk::core
