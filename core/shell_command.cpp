// SPDX-License-Identifier: MIT
#include "core/shell_command.hpp"

#include "core/error.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace pbk::core {

int run_shell_command(const std::string& command,
                      const std::map<std::string, std::string>& environment) {
  const pid_t pid = fork();
  if (pid < 0) {
    throw IoError(describe_errno("cannot start `" + command + "`", errno), errno);
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec, apart from setenv, which is safe
    // here because the parent's other threads do not exist in the child.
    for (const auto& [name, value] : environment) {
      setenv(name.c_str(), value.c_str(), 1);
    }
    dup2(STDERR_FILENO, STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw IoError(describe_errno("cannot wait for `" + command + "`", errno), errno);
    }
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}

} // namespace pbk::core
