// SPDX-License-Identifier: MIT
// SealSink seals what is written to it (chunk_cipher.hpp) and pushes the sealed bytes into
// `next` (borrowed): the random prefix first, then each 1 MiB chunk with its tag. A full chunk
// is held back until more data or finish() says whether it is the final one, so a member whose
// size is a multiple of 1 MiB ends in a full final chunk, not an extra empty one.
#pragma once

#include "core/crypto/chunk_cipher.hpp"
#include "core/crypto/secret_bytes.hpp"
#include "core/io/byte_sink.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::core::crypto {

class SealSink : public io::ByteSink {
public:
  using ByteSink::write;

  // `aad_path`: the member's path as stored in the archive. `prefix`: for tests; empty picks
  // 8 random bytes, which is the only safe choice for real data.
  SealSink(io::ByteSink& next,
           const SecretBytes& key,
           std::string aad_path,
           std::span<const std::byte> prefix = {});

  void write(std::span<const std::byte> data) override;
  void finish() override;

private:
  void seal_buffered(bool final);

  io::ByteSink& m_next;
  std::vector<std::byte> m_prefix;
  ChunkCipher m_cipher;
  std::vector<std::byte> m_plain;
  std::vector<std::byte> m_sealed;
  bool m_started = false;
};

} // namespace pbk::core::crypto
