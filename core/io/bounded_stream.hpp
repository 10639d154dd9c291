// SPDX-License-Identifier: MIT
// A stream that may carry at most `limit` bytes: BoundedSource and BoundedSink pass data
// through unchanged and throw IntegrityError(`what`) as soon as more would pass. An archive
// states how large each member is and what it decompresses to; these hold it to that while
// the data streams, so a forged size costs at most the bound, never what the data expands to.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace pbk::core::io {

class BoundedSource : public ByteSource {
public:
  BoundedSource(ByteSource& in, std::uint64_t limit, std::string what)
      : m_in(in),
        m_limit(limit),
        m_what(std::move(what)) {}

  // Never asks `in` for more than one byte beyond the limit.
  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_bytes; }

private:
  ByteSource& m_in;
  std::uint64_t m_limit;
  std::string m_what;
  std::uint64_t m_bytes = 0;
};

class BoundedSink : public ByteSink {
public:
  BoundedSink(ByteSink& next, std::uint64_t limit, std::string what)
      : m_next(next),
        m_limit(limit),
        m_what(std::move(what)) {}

  using ByteSink::write;
  void write(std::span<const std::byte> data) override;

  void finish() override { m_next.finish(); }

private:
  ByteSink& m_next;
  std::uint64_t m_limit;
  std::string m_what;
  std::uint64_t m_bytes = 0;
};

} // namespace pbk::core::io
