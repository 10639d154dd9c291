// SPDX-License-Identifier: MIT
// HashingSink passes bytes through unchanged and computes their SHA-256 and count on the way.
// In a backup it sits after compression, so the digest is that of the stored member and
// matches `tar -xO ... | sha256sum`. It borrows the next stage; finish() finalizes the digest
// and then finishes the next stage.
#pragma once

#include "core/hash/sha256.hpp"
#include "core/io/byte_sink.hpp"

#include <cstdint>
#include <string>

namespace pbk::core::hash {

class HashingSink : public io::ByteSink {
public:
  explicit HashingSink(io::ByteSink& next)
      : m_next(next) {}

  using io::ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override;

  // Lowercase hex; empty until finish() has run.
  [[nodiscard]] const std::string& hex_digest() const noexcept { return m_hex; }

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_bytes; }

private:
  io::ByteSink& m_next;
  Sha256 m_sha;
  std::string m_hex;
  std::uint64_t m_bytes = 0;
};

} // namespace pbk::core::hash
