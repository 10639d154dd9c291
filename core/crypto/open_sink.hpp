// SPDX-License-Identifier: MIT
// OpenSink is SealSink's inverse for push pipelines (verify): it takes a sealed member's
// stored bytes, opens chunk after chunk and pushes the plain bytes into `next` (borrowed).
// A chunk is opened as final only at finish(), so input cut at a chunk boundary is caught.
// Nothing of a chunk whose tag fails is passed on. Failures are IntegrityError
// "<label>: ..." naming the chunk and what that means.
#pragma once

#include "core/crypto/chunk_cipher.hpp"
#include "core/crypto/secret_bytes.hpp"
#include "core/io/byte_sink.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pbk::core::crypto {

class OpenSink : public io::ByteSink {
public:
  using ByteSink::write;

  OpenSink(io::ByteSink& next, const SecretBytes& key, std::string aad_path, std::string label);

  void write(std::span<const std::byte> data) override;
  void finish() override;

private:
  void open_buffered(bool final);

  io::ByteSink& m_next;
  SecretBytes m_key;
  std::string m_path;
  std::string m_label;
  std::vector<std::byte> m_prefix;
  std::optional<ChunkCipher> m_cipher; // once the prefix is complete
  std::vector<std::byte> m_sealed;
  std::vector<std::byte> m_plain;
};

} // namespace pbk::core::crypto
