// SPDX-License-Identifier: MIT
#include "core/io/fd_source.hpp"

#include "core/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <utility>

namespace pbk::core::io {

FdSource::FdSource(int fd, std::string label)
    : m_fd(fd),
      m_label(std::move(label)) {}

std::size_t FdSource::read(std::span<std::byte> buffer) {
  if (buffer.empty()) {
    return 0;
  }
  for (;;) {
    const ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
    if (n >= 0) {
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) {
      const int err = errno;
      throw IoError(describe_errno("cannot read " + m_label, err), err);
    }
  }
}

} // namespace pbk::core::io
