// SPDX-License-Identifier: MIT
// posix_spawn with an explicit signal state: the test framework may block or ignore signals,
// and a child inherits both, which would make a SIGTERM test pass or hang for the wrong reason.
#include "tests/support/background_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace pbk::test {
namespace {

std::string whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

BackgroundProcess::BackgroundProcess(std::vector<std::string> argv,
                                     const std::filesystem::path& log_dir)
    : m_out(log_dir / "stdout"),
      m_err(log_dir / "stderr") {
  std::vector<char*> c_argv;
  for (auto& arg : argv) {
    c_argv.push_back(arg.data());
  }
  c_argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, m_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, m_err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t signals;
  sigemptyset(&signals);
  posix_spawnattr_setsigmask(&attributes, &signals);
  for (const int number : {SIGINT, SIGTERM, SIGPIPE}) {
    sigaddset(&signals, number);
  }
  posix_spawnattr_setsigdefault(&attributes, &signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int error = posix_spawnp(&m_pid, c_argv[0], &actions, &attributes, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(error));
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (m_pid > 0) {
    // A failed check must not leave a stopped program holding locks or a snapshot.
    ::kill(m_pid, SIGKILL);
    ::kill(m_pid, SIGCONT);
    (void)wait();
  }
}

void BackgroundProcess::signal(int number) const {
  if (m_pid <= 0 || ::kill(m_pid, number) != 0) {
    throw std::runtime_error("cannot signal the background process: it is gone");
  }
}

int BackgroundProcess::wait() {
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string BackgroundProcess::out() const {
  return whole_file(m_out);
}

std::string BackgroundProcess::err() const {
  return whole_file(m_err);
}

} // namespace pbk::test
