// SPDX-License-Identifier: MIT
#include "core/io/file_lock.hpp"

#include "core/error.hpp"

#include <sys/file.h>

#include <cerrno>

namespace pbk::core::io {

FileLock FileLock::try_lock(Fd fd, LockMode mode) {
  const int operation = (mode == LockMode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  int result = 0;
  do {
    result = ::flock(fd.get(), operation);
  } while (result != 0 && errno == EINTR);
  if (result == 0) {
    return FileLock(std::move(fd), true);
  }
  if (errno == EWOULDBLOCK) {
    return FileLock(std::move(fd), false);
  }
  const int err = errno;
  throw IoError(describe_errno("cannot lock " + fd.label(), err), err);
}

} // namespace pbk::core::io
