// SPDX-License-Identifier: MIT
#include "tests/support/resealed_member.hpp"

#include "archive/manifest_json.hpp"

#include "core/compress/zstd_compress_sink.hpp"
#include "core/compress/zstd_decompress_sink.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/memory_sink.hpp"

#include <algorithm>
#include <span>
#include <stdexcept>

namespace pbk::test {

void reseal_member(ArchiveMembers& members,
                   const std::string& path,
                   std::string stored,
                   std::uint64_t raw_size) {
  auto manifest = archive::parse_manifest(members.back().second);
  const auto record = std::find_if(manifest.members.begin(),
                                   manifest.members.end(),
                                   [&](const auto& m) { return m.path == path; });
  const auto member =
      std::find_if(members.begin(), members.end(), [&](const auto& m) { return m.first == path; });
  if (record == manifest.members.end() || member == members.end()) {
    throw std::runtime_error("no member " + path + " to reseal");
  }
  record->size = stored.size();
  record->raw_size = raw_size;
  record->sha256 = core::hash::sha256_hex(stored);
  member->second = std::move(stored);
  members.back().second = archive::serialize(manifest);
}

std::string zstd_compressed(std::string_view text) {
  core::io::MemorySink memory;
  core::compress::ZstdCompressSink zstd(memory);
  zstd.write(std::as_bytes(std::span(text.data(), text.size())));
  zstd.finish();
  return std::string(memory.view());
}

std::string zstd_decompressed(std::string_view stored) {
  core::io::MemorySink memory;
  core::compress::ZstdDecompressSink zstd(memory, "member");
  zstd.write(std::as_bytes(std::span(stored.data(), stored.size())));
  zstd.finish();
  return std::string(memory.view());
}

} // namespace pbk::test
