// SPDX-License-Identifier: MIT
#include "core/hash/hashing_sink.hpp"

namespace pbk::core::hash {

void HashingSink::write(std::span<const std::byte> data) {
  m_sha.update(data);
  m_next.write(data);
  m_bytes += data.size();
}

void HashingSink::finish() {
  m_hex = m_sha.finish_hex();
  m_next.finish();
}

} // namespace pbk::core::hash
