// SPDX-License-Identifier: MIT
// An advisory lock (flock) on an open file, released when the object goes. flock rather than
// fcntl locks: they belong to the open file, not the process, so two objects of one process
// exclude each other too, and nothing another part of the program closes can drop them.
#pragma once

#include "core/io/fd.hpp"

namespace pbk::core::io {

enum class LockMode { shared, exclusive };

class FileLock {
public:
  // Takes the lock if it is free; nullopt-like empty lock (held() false) when another holds it.
  [[nodiscard]] static FileLock try_lock(Fd fd, LockMode mode);

  FileLock(FileLock&&) noexcept = default;
  FileLock& operator=(FileLock&&) noexcept = default;
  ~FileLock() = default; // closing the descriptor releases the lock

  [[nodiscard]] bool held() const { return m_held; }

  // The descriptor back, for another attempt.
  [[nodiscard]] Fd release_fd() { return std::move(m_fd); }

private:
  FileLock(Fd fd, bool held)
      : m_fd(std::move(fd)),
        m_held(held) {}

  Fd m_fd;
  bool m_held = false;
};

} // namespace pbk::core::io
