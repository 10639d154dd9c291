// SPDX-License-Identifier: MIT
#include "core/crypto/open_sink.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace pbk::core::crypto {
namespace {

constexpr std::size_t k_sealed_chunk = k_chunk_size + k_tag_size;

} // namespace

OpenSink::OpenSink(io::ByteSink& next,
                   const SecretBytes& key,
                   std::string aad_path,
                   std::string label)
    : m_next(next),
      m_key(key),
      m_path(std::move(aad_path)),
      m_label(std::move(label)) {}

void OpenSink::write(std::span<const std::byte> data) {
  while (!data.empty()) {
    if (!m_cipher) {
      const auto take = std::min(k_prefix_size - m_prefix.size(), data.size());
      m_prefix.insert(
          m_prefix.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
      data = data.subspan(take);
      if (m_prefix.size() == k_prefix_size) {
        m_cipher.emplace(m_key, m_prefix, m_path);
        m_sealed.reserve(k_sealed_chunk);
      }
      continue;
    }
    if (m_sealed.size() == k_sealed_chunk) {
      open_buffered(false); // more follows: not the last chunk
    }
    const auto take = std::min(k_sealed_chunk - m_sealed.size(), data.size());
    m_sealed.insert(m_sealed.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
  }
}

void OpenSink::finish() {
  if (!m_cipher || m_sealed.size() < k_tag_size) {
    throw IntegrityError(m_label + ": sealed data ends after "
                         + std::to_string(m_prefix.size() + m_sealed.size())
                         + " bytes, before its first chunk is complete: truncated");
  }
  open_buffered(true);
  m_next.finish();
}

void OpenSink::open_buffered(bool final) {
  m_plain.clear();
  const auto chunk = m_cipher->chunks();
  if (!m_cipher->open(m_sealed, final, m_plain)) {
    if (final && m_cipher->open(m_sealed, false, m_plain)) {
      throw IntegrityError(m_label + ": sealed data ends after chunk " + std::to_string(chunk + 1)
                           + ", which is not its last: truncated");
    }
    throw IntegrityError(m_label + ": sealed chunk " + std::to_string(chunk + 1)
                         + " does not open (AES-256-GCM tag mismatch): modified, reordered or "
                           "truncated");
  }
  m_sealed.clear();
  m_next.write(m_plain);
}

} // namespace pbk::core::crypto
