// SPDX-License-Identifier: MIT
// The key and member path the sealed-member fuzz target opens with, and pbk-fuzz-seal seals
// its seeds with: a seed must open for the fuzzer to reach past the first tag check.
#pragma once

#include "core/crypto/secret_bytes.hpp"

#include <array>
#include <cstddef>
#include <string_view>

namespace pbk::fuzz {

inline constexpr std::string_view k_sealed_path = "postal/credentials/rows-000001.tsv.zst.sealed";

inline core::crypto::SecretBytes seal_key() {
  std::array<std::byte, 32> key{};
  for (std::size_t i = 0; i < key.size(); ++i) {
    key[i] = static_cast<std::byte>(i * 7 + 1);
  }
  return core::crypto::SecretBytes(key);
}

} // namespace pbk::fuzz
