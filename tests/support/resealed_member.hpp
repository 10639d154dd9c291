// SPDX-License-Identifier: MIT
// Crafted archives for tests: a member of a real (unencrypted) archive replaced and recorded
// in its manifest again, self-hash included, so that the archive is self-consistent and only
// the member's content can betray it, as an archive from a compromised backup host would be.
#pragma once

#include "tests/support/archive_members.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace pbk::test {

// Replaces member `path` by `stored` (raw_size bytes after zstd -d) and rewrites the manifest
// (the last member) to match.
void reseal_member(ArchiveMembers& members,
                   const std::string& path,
                   std::string stored,
                   std::uint64_t raw_size);

// zstd of `text`, and back, as the archive stores its data members.
[[nodiscard]] std::string zstd_compressed(std::string_view text);
[[nodiscard]] std::string zstd_decompressed(std::string_view stored);

} // namespace pbk::test
