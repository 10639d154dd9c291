// SPDX-License-Identifier: MIT
#include "archive/compressed_member.hpp"

namespace pbk::archive {

CompressedMember::CompressedMember(const CompressionSettings& settings)
    : m_hashing(m_stored),
      m_compress(m_hashing, settings.level, settings.workers),
      m_counting(m_compress) {}

void CompressedMember::finish() {
  m_counting.finish(); // finishes the whole chain down to the memory buffer
  m_sha256 = m_hashing.hex_digest();
}

} // namespace pbk::archive
