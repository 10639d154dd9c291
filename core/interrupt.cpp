// SPDX-License-Identifier: MIT
#include "core/interrupt.hpp"

#include "core/error.hpp"

#include <csignal>

namespace pbk::core {
namespace {

volatile std::sig_atomic_t g_interrupted = 0; // the only global: a signal handler needs one

extern "C" void on_signal(int) {
  g_interrupted = 1;
}

} // namespace

void install_interrupt_handlers() {
  struct sigaction action {};

  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // A closed stdout pipe (`create - | head`) must surface as a write error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
}

bool interrupted() noexcept {
  return g_interrupted != 0;
}

void throw_if_interrupted() {
  if (interrupted()) {
    throw Error(ExitCode::interrupted, "interrupted by a signal; nothing was kept");
  }
}

} // namespace pbk::core
