// SPDX-License-Identifier: MIT
#include "core/interrupt.hpp"

#include "core/error.hpp"

#include <csignal>

namespace pbk::core {
namespace {

// The only globals: a signal handler needs them.
volatile std::sig_atomic_t g_interrupted = 0;
volatile std::sig_atomic_t g_resized = 0;

extern "C" void on_signal(int) {
  g_interrupted = 1;
}

extern "C" void on_resize(int) {
  g_resized = 1;
}

} // namespace

void install_interrupt_handlers() {
  struct sigaction action {};

  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  // A resize must not interrupt a read from the server or the archive: SA_RESTART.
  struct sigaction resize {};

  resize.sa_handler = on_resize;
  resize.sa_flags = SA_RESTART;
  sigemptyset(&resize.sa_mask);
  sigaction(SIGWINCH, &resize, nullptr);
  // A closed stdout pipe (`create - | head`) must surface as a write error, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
}

bool interrupted() noexcept {
  return g_interrupted != 0;
}

bool take_terminal_resize() noexcept {
  const bool resized = g_resized != 0;
  g_resized = 0;
  return resized;
}

void throw_if_interrupted() {
  if (interrupted()) {
    throw Error(ExitCode::interrupted, "interrupted by a signal; nothing was kept");
  }
}

} // namespace pbk::core
