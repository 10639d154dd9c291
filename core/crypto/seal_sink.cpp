// SPDX-License-Identifier: MIT
#include "core/crypto/seal_sink.hpp"

#include "core/crypto/kdf.hpp"

#include <algorithm>

namespace pbk::core::crypto {
namespace {

std::vector<std::byte> choose_prefix(std::span<const std::byte> given) {
  return given.empty() ? random_bytes(k_prefix_size)
                       : std::vector<std::byte>(given.begin(), given.end());
}

} // namespace

SealSink::SealSink(io::ByteSink& next,
                   const SecretBytes& key,
                   std::string aad_path,
                   std::span<const std::byte> prefix)
    : m_next(next),
      m_prefix(choose_prefix(prefix)),
      m_cipher(key, m_prefix, std::move(aad_path)) {
  m_plain.reserve(k_chunk_size);
}

void SealSink::write(std::span<const std::byte> data) {
  while (!data.empty()) {
    if (m_plain.size() == k_chunk_size) {
      seal_buffered(false); // more data follows, so this chunk is not the last
    }
    const auto take = std::min(k_chunk_size - m_plain.size(), data.size());
    m_plain.insert(m_plain.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
  }
}

void SealSink::finish() {
  seal_buffered(true);
  m_next.finish();
}

void SealSink::seal_buffered(bool final) {
  if (!m_started) {
    m_next.write(m_prefix);
    m_started = true;
  }
  m_sealed.clear();
  m_cipher.seal(m_plain, final, m_sealed);
  m_plain.clear();
  m_next.write(m_sealed);
}

} // namespace pbk::core::crypto
