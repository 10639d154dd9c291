// SPDX-License-Identifier: MIT
// Ed25519 signatures (RFC 8032, OpenSSL EVP_DigestSign one-shot) for signing manifests. Keys
// come from PEM files as `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout`
// write them; public keys also travel as their 32 raw bytes (hex in manifest.json).
#pragma once

#include "core/c_handle.hpp"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

struct evp_pkey_st;

namespace pbk::core::crypto {

namespace detail {
void free_pkey(evp_pkey_st* key) noexcept;
using PkeyHandle = UniqueHandle<evp_pkey_st, &free_pkey>;
} // namespace detail

class SigningKey {
public:
  // A PEM private key; anything but Ed25519 is refused (usage error).
  [[nodiscard]] static SigningKey load(const std::filesystem::path& pem);
  // A fresh key pair (tests; operators make theirs with openssl).
  [[nodiscard]] static SigningKey generate();

  [[nodiscard]] std::vector<std::byte> public_key() const;
  [[nodiscard]] std::vector<std::byte> sign(std::span<const std::byte> data) const;

private:
  explicit SigningKey(detail::PkeyHandle key);

  std::shared_ptr<evp_pkey_st> m_key;
};

class VerifyKey {
public:
  // A PEM public key (or a private key, whose public half is used).
  [[nodiscard]] static VerifyKey load(const std::filesystem::path& pem);
  // 32 raw bytes; throws IntegrityError when they are not an Ed25519 public key.
  [[nodiscard]] static VerifyKey from_raw(std::span<const std::byte> raw);

  [[nodiscard]] std::vector<std::byte> public_key() const;
  [[nodiscard]] bool verify(std::span<const std::byte> data,
                            std::span<const std::byte> signature) const;

private:
  explicit VerifyKey(detail::PkeyHandle key);

  std::shared_ptr<evp_pkey_st> m_key;
};

// SHA-256 of the 32 raw public key bytes, hex: how reports name a signer.
[[nodiscard]] std::string key_fingerprint(std::span<const std::byte> raw_public_key);

} // namespace pbk::core::crypto
