// SPDX-License-Identifier: MIT
// A program started in the background, for tests that act on it while it runs (stop it,
// kill its database connection, send it SIGTERM). Its stdin is /dev/null; stdout and stderr
// go to files, so it never stalls on a pipe nobody reads. Killed and reaped on destruction.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace pbk::test {

class BackgroundProcess {
public:
  // argv[0] is looked up in PATH; stdout and stderr go to `log_dir`/stdout and /stderr.
  // Throws std::runtime_error when the program cannot be started.
  BackgroundProcess(std::vector<std::string> argv, const std::filesystem::path& log_dir);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Throws std::runtime_error when the process is gone (already waited for).
  void signal(int number) const;
  // The exit code, or 128 + the number of the signal that ended it. Call once.
  [[nodiscard]] int wait();

  [[nodiscard]] std::string out() const;
  [[nodiscard]] std::string err() const;

private:
  std::filesystem::path m_out;
  std::filesystem::path m_err;
  pid_t m_pid = -1;
};

} // namespace pbk::test
