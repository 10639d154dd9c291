// SPDX-License-Identifier: MIT
// HashingSource is the pull-side twin of HashingSink: it reads from `in` (borrowed), returns the
// bytes unchanged and computes their SHA-256 and count on the way. In a restore it sits right
// after the tar member, so the digest is that of the stored member, as the manifest records it.
// The digest is finalized when read() first returns 0 (the end of `in`).
#pragma once

#include "core/hash/sha256.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace pbk::core::hash {

class HashingSource : public io::ByteSource {
public:
  explicit HashingSource(io::ByteSource& in)
      : m_in(in) {}

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

  // Lowercase hex; empty until read() has returned 0.
  [[nodiscard]] const std::string& hex_digest() const noexcept { return m_hex; }

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_bytes; }

private:
  io::ByteSource& m_in;
  Sha256 m_sha;
  std::string m_hex;
  std::uint64_t m_bytes = 0;
  bool m_finished = false;
};

} // namespace pbk::core::hash
