// SPDX-License-Identifier: MIT
#include "core/io/byte_sink.hpp"

#include <array>

namespace pbk::core::io {

void drain(ByteSource& source) {
  std::array<std::byte, 64 * 1024> buffer{};
  while (source.read(buffer) != 0) {
  }
}

} // namespace pbk::core::io
