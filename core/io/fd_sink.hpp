// SPDX-License-Identifier: MIT
// FdSink writes to a borrowed file descriptor through a 1 MiB buffer, so the small writes of
// the encoder and libarchive become few large write(2) calls. Partial writes and EINTR are
// retried; any other failure throws IoError naming the label. finish() flushes but does not
// fsync: durability is AtomicFile::commit()'s job.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace pbk::core::io {

class FdSink : public ByteSink {
public:
  static constexpr std::size_t k_buffer_size = std::size_t{1} << 20;

  FdSink(int fd, std::string label);

  using ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override;

  // Hands buffered bytes to the kernel; finish() does this too.
  void flush();

private:
  void write_all(std::span<const std::byte> data);

  int m_fd;
  std::string m_label;
  std::unique_ptr<std::byte[]> m_buffer;
  std::size_t m_used = 0;
};

} // namespace pbk::core::io
