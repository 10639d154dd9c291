// SPDX-License-Identifier: MIT
#include "core/failpoint.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

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

} // namespace pbk::core
