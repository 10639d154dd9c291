// SPDX-License-Identifier: MIT
// The small documents of an archive (JSON members, reference entries) read whole into a
// string, from a ByteSource or a TarReader alike: the caller has already bounded `size`.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace pbk::core::io {

// Up to `size` bytes of `reader` (anything with `std::size_t read(std::span<std::byte>)`),
// fewer when it ends first.
template <typename Reader>
[[nodiscard]] std::string read_up_to(Reader& reader, std::size_t size) {
  std::string text(size, '\0');
  std::size_t filled = 0;
  while (filled < text.size()) {
    const auto n =
        reader.read(std::as_writable_bytes(std::span(text.data() + filled, text.size() - filled)));
    if (n == 0) {
      break;
    }
    filled += n;
  }
  text.resize(filled);
  return text;
}

} // namespace pbk::core::io
