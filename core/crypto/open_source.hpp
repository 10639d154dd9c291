// SPDX-License-Identifier: MIT
// OpenSource is the pull-side twin of OpenSink, for consumers that pull (a restore's LOAD
// DATA LOCAL): read() returns the plain bytes of the sealed data read from `in` (borrowed).
// It drives an OpenSink internally, so both directions accept and refuse exactly the same
// bytes. read() returns 0 only after the final chunk opened.
#pragma once

#include "core/crypto/open_sink.hpp"
#include "core/crypto/secret_bytes.hpp"
#include "core/io/byte_sink.hpp"
#include "core/io/memory_sink.hpp"

#include <string>
#include <vector>

namespace pbk::core::crypto {

class OpenSource : public io::ByteSource {
public:
  OpenSource(io::ByteSource& in, const SecretBytes& key, std::string aad_path, std::string label);

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

private:
  io::ByteSource& m_in;
  io::MemorySink m_plain;
  OpenSink m_opener;
  std::vector<std::byte> m_input;
  std::size_t m_position = 0; // in m_plain
  bool m_end = false;
};

} // namespace pbk::core::crypto
