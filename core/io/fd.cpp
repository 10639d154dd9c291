// SPDX-License-Identifier: MIT
#include "core/io/fd.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

namespace pbk::core::io {

Fd::Fd(int fd, std::string label) noexcept
    : m_fd(fd),
      m_label(std::move(label)) {}

Fd::Fd(Fd&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_label(std::move(other.m_label)) {}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd); // replacing an owned fd is a rollback: its close error has no reader
    }
    m_fd = std::exchange(other.m_fd, -1);
    m_label = std::move(other.m_label);
  }
  return *this;
}

Fd::~Fd() {
  if (m_fd >= 0) {
    ::close(m_fd); // rollback only; callers that care about the result call close()
  }
}

int Fd::release() noexcept {
  return std::exchange(m_fd, -1);
}

void Fd::close() {
  const int fd = std::exchange(m_fd, -1);
  // Linux frees the descriptor even when close() fails, even with EINTR: never retry.
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) {
    const int err = errno;
    const std::string what = m_label.empty() ? "file descriptor " + std::to_string(fd) : m_label;
    throw IoError(describe_errno("cannot close " + what, err), err);
  }
}

Fd open_file(const std::filesystem::path& path, int flags, mode_t mode) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    throw IoError(describe_errno("cannot open " + path.string(), err), err);
  }
  return Fd(fd, path.string());
}

} // namespace pbk::core::io
