// SPDX-License-Identifier: MIT
#include "core/io/fd_sink.hpp"

#include "core/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace pbk::core::io {

FdSink::FdSink(int fd, std::string label)
    : m_fd(fd),
      m_label(std::move(label)),
      m_buffer(std::make_unique<std::byte[]>(k_buffer_size)) {}

void FdSink::write(std::span<const std::byte> data) {
  if (data.size() > k_buffer_size - m_used) {
    flush();
    if (data.size() >= k_buffer_size) {
      write_all(data); // copying a large block into the buffer would only cost time
      return;
    }
  }
  std::memcpy(m_buffer.get() + m_used, data.data(), data.size());
  m_used += data.size();
}

void FdSink::finish() {
  flush();
}

void FdSink::flush() {
  // Reset first: after a failed write the buffer's state is unknown and must not be resent.
  const std::size_t used = std::exchange(m_used, 0);
  write_all(std::span(m_buffer.get(), used));
}

void FdSink::write_all(std::span<const std::byte> data) {
  while (!data.empty()) {
    const ssize_t n = ::write(m_fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      // write(2) returning 0 for a non-empty buffer means no progress is possible.
      const int err = n < 0 ? errno : EIO;
      throw IoError(describe_errno("cannot write to " + m_label, err), err);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
}

} // namespace pbk::core::io
