// SPDX-License-Identifier: MIT
// Fd owns one file descriptor and closes it exactly once. close() reports the error that
// matters (a failed close can lose written data on NFS); the destructor only rolls back and
// ignores it. open_file() always adds O_CLOEXEC so forked tools never inherit archives.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace pbk::core::io {

class Fd {
public:
  Fd() = default;
  // `label` names the file in error messages (usually its path).
  explicit Fd(int fd, std::string label = {}) noexcept;
  Fd(Fd&& other) noexcept;
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  [[nodiscard]] int get() const noexcept { return m_fd; }

  [[nodiscard]] bool valid() const noexcept { return m_fd >= 0; }

  [[nodiscard]] const std::string& label() const noexcept { return m_label; }

  // Gives up ownership; the caller closes the returned descriptor.
  [[nodiscard]] int release() noexcept;
  // Closes now and throws IoError on failure; the descriptor is gone either way.
  void close();

private:
  int m_fd = -1;
  std::string m_label;
};

// open(2) with O_CLOEXEC, retried on EINTR; throws IoError("cannot open <path>: <why>").
[[nodiscard]] Fd open_file(const std::filesystem::path& path, int flags, mode_t mode = 0600);

} // namespace pbk::core::io
