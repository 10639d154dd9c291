// SPDX-License-Identifier: MIT
// fork + execvpe with three pipes, pumped with poll() so that neither side can block the
// other when a program writes a lot before reading its input.
#include "tests/support/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace pbk::test {

namespace {

struct Pipe {
  std::array<int, 2> fd{-1, -1};

  Pipe() {
    if (pipe2(fd.data(), O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
  }

  ~Pipe() {
    close_end(0);
    close_end(1);
  }

  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  void close_end(int i) {
    if (fd[i] >= 0) {
      ::close(fd[i]);
      fd[i] = -1;
    }
  }
};

std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (const auto& x : extra) {
      replaced = replaced || x.compare(0, name.size(), name) == 0;
    }
    if (!replaced) {
      env.push_back(entry);
    }
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void
exec_child(Pipe& in, Pipe& out, Pipe& err, Pipe& status, char** argv, char** envp) {
  dup2(in.fd[0], 0);
  dup2(out.fd[1], 1);
  dup2(err.fd[1], 2);
  signal(SIGPIPE, SIG_DFL); // the test process ignores it; the program must not inherit that
  execvpe(argv[0], argv, envp);
  const int e = errno;
  (void)!write(status.fd[1], &e, sizeof e);
  _exit(127); // the forked copy of the test process must not run its destructors
}

void pump(int in_fd, std::string_view input, int out_fd, int err_fd, CommandResult& result) {
  std::size_t written = 0;
  // Non-blocking, or a large write() would wait for the program while it waits for us to read.
  fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
  std::array<pollfd, 3> fds{{{in_fd, POLLOUT, 0}, {out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  if (input.empty()) {
    ::close(in_fd);
    fds[0].fd = -1;
  }
  std::array<char, 65536> buffer{};
  while (fds[0].fd >= 0 || fds[1].fd >= 0 || fds[2].fd >= 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }
    if (fds[0].fd >= 0 && fds[0].revents != 0) {
      const ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input.size()) {
        ::close(in_fd); // EPIPE: the program stopped reading, which is its business
        fds[0].fd = -1;
      }
    }
    for (std::size_t i = 1; i < 3; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n > 0) {
        (i == 1 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
      }
    }
  }
}

} // namespace

CommandResult run_command(std::vector<std::string> argv,
                          std::string stdin_data,
                          std::vector<std::string> extra_env) {
  if (argv.empty()) {
    throw std::invalid_argument("run_command: empty argv");
  }
  signal(SIGPIPE, SIG_IGN); // a program that exits early must not kill the test with it
  std::vector<std::string> env = merged_environment(extra_env);
  std::vector<char*> c_argv = c_strings(argv);
  std::vector<char*> c_env = c_strings(env);
  Pipe in;
  Pipe out;
  Pipe err;
  Pipe status;
  const pid_t pid = fork();
  if (pid < 0) {
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    exec_child(in, out, err, status, c_argv.data(), c_env.data());
  }
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  status.close_end(1);
  CommandResult result;
  const int in_fd = in.fd[1];
  in.fd[1] = -1; // pump closes it
  pump(in_fd, stdin_data, out.fd[0], err.fd[0], result);
  int exec_errno = 0;
  const bool exec_failed = ::read(status.fd[0], &exec_errno, sizeof exec_errno) > 0;
  int wstatus = 0;

  struct rusage usage {};

  while (wait4(pid, &wstatus, 0, &usage) < 0 && errno == EINTR) {
  }
  result.max_rss_kib = usage.ru_maxrss;
  if (exec_failed) {
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(exec_errno));
  }
  result.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return result;
}

} // namespace pbk::test
