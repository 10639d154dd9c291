// SPDX-License-Identifier: MIT
// FdSource reads a borrowed file descriptor: a regular file or a pipe (restore from stdin).
// A short read is not the end; only read(2) returning 0 is. EINTR is retried, any other
// failure throws IoError naming the label.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <span>
#include <string>

namespace pbk::core::io {

class FdSource : public ByteSource {
public:
  FdSource(int fd, std::string label);

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

private:
  int m_fd;
  std::string m_label;
};

} // namespace pbk::core::io
