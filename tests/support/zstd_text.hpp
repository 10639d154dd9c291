// SPDX-License-Identifier: MIT
// zstd of a text and back, as the archive stores its data members; decoding goes through the
// same ZstdDecompressSource that verify and restore read members with.
#pragma once

#include <string>
#include <string_view>

namespace pbk::test {

[[nodiscard]] std::string zstd_compressed(std::string_view text);
// Throws core::IntegrityError for damaged, truncated or empty input, as a member read would.
[[nodiscard]] std::string zstd_decompressed(std::string_view stored);

} // namespace pbk::test
