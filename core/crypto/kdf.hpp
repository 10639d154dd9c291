// SPDX-License-Identifier: MIT
// Key derivation and MACs through OpenSSL's EVP_KDF / EVP_MAC: scrypt turns a passphrase or a
// key file into a master key (slow on purpose, memory-hard), HKDF-SHA256 splits a master key
// into independent subkeys by purpose, HMAC-SHA256 authenticates small texts. Parameters read
// from an archive are bounded (check_scrypt_params) so a crafted archive cannot make a reader
// allocate gigabytes.
#pragma once

#include "core/crypto/secret_bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace pbk::core::crypto {

struct ScryptParams {
  std::uint64_t n = std::uint64_t{1} << 15; // CPU/memory cost, a power of two
  std::uint32_t r = 8;                      // block size
  std::uint32_t p = 1;                      // parallelism
};

inline constexpr std::size_t k_key_size = 32;

// Throws IntegrityError when the parameters are not a valid scrypt setting or would need more
// than 128 MiB of memory.
void check_scrypt_params(const ScryptParams& params);
[[nodiscard]] SecretBytes scrypt(std::span<const std::byte> secret,
                                 std::span<const std::byte> salt,
                                 const ScryptParams& params,
                                 std::size_t length = k_key_size);
// HKDF-SHA256 (RFC 5869) with an empty salt: `key` is already uniformly random.
[[nodiscard]] SecretBytes
hkdf_sha256(std::span<const std::byte> key, std::string_view info, std::size_t length = k_key_size);
[[nodiscard]] std::vector<std::byte> hmac_sha256(std::span<const std::byte> key,
                                                 std::span<const std::byte> data);
// Constant-time comparison, for MACs.
[[nodiscard]] bool equal_secret(std::span<const std::byte> a, std::span<const std::byte> b);
[[nodiscard]] std::vector<std::byte> random_bytes(std::size_t count);

} // namespace pbk::core::crypto
