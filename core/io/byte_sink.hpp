// SPDX-License-Identifier: MIT
// The push interface every pipeline stage implements, in both directions (backup: encoder →
// zstd → SHA-256 → tar; restore: tar → SHA-256 → zstd → decoder). Decorators own or borrow
// the next stage. finish() flushes and finalizes and is never implied by the destructor: a
// sink destroyed without finish() has been abandoned.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace pbk::core::io {

class ByteSink {
public:
  virtual ~ByteSink() = default;
  virtual void write(std::span<const std::byte> data) = 0; // throws core::Error
  virtual void finish() = 0;

  void write(std::string_view text) { write(std::as_bytes(std::span(text.data(), text.size()))); }
};

// Pull side, for reading an archive from a file or a pipe. read() returns 0 only at the end.
class ByteSource {
public:
  virtual ~ByteSource() = default;
  [[nodiscard]] virtual std::size_t read(std::span<std::byte> buffer) = 0; // throws core::Error
};

// The bytes of a text, for the byte interfaces.
[[nodiscard]] inline std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

// Reads `source` to its end, so that a hash or count taken on the way covers every byte.
void drain(ByteSource& source);

} // namespace pbk::core::io
