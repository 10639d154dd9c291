// SPDX-License-Identifier: MIT
// One archive member in the making: bytes written to input() are counted (raw size, rows as
// line feeds), compressed into one zstd frame and hashed, and held in memory until finish(),
// because a tar header needs the member's size before its data. Memory is bounded by the
// chunk size the caller chooses.
#pragma once

#include "core/compress/zstd_compress_sink.hpp"
#include "core/hash/hashing_sink.hpp"
#include "core/io/counting_sink.hpp"
#include "core/io/memory_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace pbk::archive {

struct CompressionSettings {
  int level = 2;   // create's default (cli/commands/create.cpp)
  int workers = 0; // zstd's own threads; 0 compresses in the calling thread
};

class CompressedMember {
public:
  explicit CompressedMember(const CompressionSettings& settings);
  CompressedMember(const CompressedMember&) = delete;
  CompressedMember& operator=(const CompressedMember&) = delete;

  [[nodiscard]] core::io::ByteSink& input() { return m_counting; }

  [[nodiscard]] std::uint64_t raw_size() const { return m_counting.bytes(); }

  // Ends the frame; after this, data() and the counters describe the finished member.
  void finish();

  [[nodiscard]] std::span<const std::byte> data() const { return m_stored.data(); }

  [[nodiscard]] std::uint64_t lines() const { return m_counting.newlines(); }

  [[nodiscard]] const std::string& sha256() const { return m_sha256; }

private:
  core::io::MemorySink m_stored;
  core::hash::HashingSink m_hashing;
  core::compress::ZstdCompressSink m_compress;
  core::io::CountingSink m_counting;
  std::string m_sha256;
};

} // namespace pbk::archive
