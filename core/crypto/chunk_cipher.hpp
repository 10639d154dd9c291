// SPDX-License-Identifier: MIT
// The sealed-member construction (docs/format.md, "Sealed members"), a chunked AEAD stream in
// the manner of STREAM (Hoang, Reyhanitabar, Rogaway, Vizár 2015):
//
//   sealed   := prefix(8 random bytes) chunk* final-chunk
//   chunk    := AES-256-GCM(plain 1 MiB)  tag(16)      nonce = prefix ‖ uint32_be(counter)
//   AAD      := member path ‖ 0x00 (0x01 for the final chunk)
//
// Counters start at 0 and count every chunk, so reordered, dropped or duplicated chunks fail
// their tag; the final flag makes a cut at a chunk boundary fail too; the path in the AAD keeps
// a chunk from being moved to another member. An empty member is one empty final chunk.
#pragma once

#include "core/crypto/secret_bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pbk::core::crypto {

inline constexpr std::size_t k_chunk_size = std::size_t{1} << 20;
inline constexpr std::size_t k_prefix_size = 8;
inline constexpr std::size_t k_tag_size = 16;

class ChunkCipher {
public:
  // `key`: 32 bytes; `aad_path`: the member's path as stored in the archive.
  ChunkCipher(const SecretBytes& key, std::span<const std::byte> prefix, std::string aad_path);

  // Appends the sealed chunk (ciphertext, then tag) to `out`; advances the counter.
  void seal(std::span<const std::byte> plain, bool final, std::vector<std::byte>& out);
  // Appends the plain chunk to `out` and advances the counter; false (out unchanged, counter
  // kept) when the tag does not match for this position and final flag.
  [[nodiscard]] bool
  open(std::span<const std::byte> sealed, bool final, std::vector<std::byte>& out);

  // The number of chunks sealed or opened so far.
  [[nodiscard]] std::uint64_t chunks() const { return m_counter; }

private:
  [[nodiscard]] std::vector<unsigned char> nonce() const;
  [[nodiscard]] std::string aad(bool final) const;

  SecretBytes m_key;
  std::vector<std::byte> m_prefix;
  std::string m_path;
  std::uint64_t m_counter = 0;
};

} // namespace pbk::core::crypto
