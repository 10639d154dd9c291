// SPDX-License-Identifier: MIT
// The one way a data member's contents are read, by `verify` and by `restore` alike, so that
// verify exercises exactly the decoding restore relies on: the stored bytes (hashed by the
// caller as they stream by), opened when the member is sealed, decompressed, held to the raw
// size the member may have, and counted (bytes, and LF bytes: one per row). Reading to the
// end also reads the stored bytes to their end, so a sealed member's final tag and the
// caller's hash cover every stored byte.
#pragma once

#include "archive/member_opener.hpp"

#include "core/compress/zstd_decompress_source.hpp"
#include "core/io/bounded_stream.hpp"
#include "core/io/byte_sink.hpp"
#include "core/io/counting_source.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace pbk::archive {

class MemberReader final : public core::io::ByteSource {
public:
  // Throws Error(usage) when the member is sealed and `opener` has no key. Reading throws
  // IntegrityError naming `label` when the bytes do not open or decompress, or decompress to
  // more than `raw_limit` bytes.
  MemberReader(const MemberOpener& opener,
               core::io::ByteSource& stored,
               const std::string& path,
               const std::string& label,
               std::uint64_t raw_limit);

  MemberReader(const MemberReader&) = delete;
  MemberReader& operator=(const MemberReader&) = delete;

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

  // Reads what is left, for callers that need only the counts.
  void skip_rest();

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_counting.bytes(); }

  [[nodiscard]] std::uint64_t lines() const noexcept { return m_counting.newlines(); }

private:
  OpenedSource m_opened;
  core::compress::ZstdDecompressSource m_decompress;
  core::io::BoundedSource m_bounded;
  core::io::CountingSource m_counting;
};

} // namespace pbk::archive
