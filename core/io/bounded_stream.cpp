// SPDX-License-Identifier: MIT
#include "core/io/bounded_stream.hpp"

#include "core/error.hpp"

namespace pbk::core::io {

std::size_t BoundedSource::read(std::span<std::byte> buffer) {
  const std::uint64_t left = m_limit - m_bytes;
  // One byte beyond the limit is enough to show the overflow.
  const auto wanted = left >= buffer.size() ? buffer.size() : static_cast<std::size_t>(left) + 1;
  const auto n = m_in.read(buffer.first(wanted));
  m_bytes += n;
  if (m_bytes > m_limit) {
    throw IntegrityError(m_what);
  }
  return n;
}

void BoundedSink::write(std::span<const std::byte> data) {
  if (data.size() > m_limit - m_bytes) {
    throw IntegrityError(m_what);
  }
  m_bytes += data.size();
  m_next.write(data);
}

} // namespace pbk::core::io
