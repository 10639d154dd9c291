// SPDX-License-Identifier: MIT
#include "core/crypto/ed25519.hpp"

#include "core/crypto/openssl_error.hpp"
#include "core/error.hpp"
#include "core/hash/sha256.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>

namespace pbk::core::crypto {
namespace {

using MdCtx = UniqueHandle<EVP_MD_CTX, &EVP_MD_CTX_free>;
using Bio = UniqueHandle<BIO, &BIO_free>;

constexpr std::size_t k_public_size = 32;
constexpr std::size_t k_signature_size = 64;

Bio open_pem(const std::filesystem::path& pem) {
  Bio bio(BIO_new_file(pem.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    throw Error(ExitCode::usage, "cannot read the key file " + pem.string());
  }
  return bio;
}

void require_ed25519(const detail::PkeyHandle& key, const std::filesystem::path& pem) {
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519) {
    throw Error(ExitCode::usage,
                pem.string() + " is not an Ed25519 key",
                {"make one with: openssl genpkey -algorithm ed25519 -out sign.pem"});
  }
}

std::vector<std::byte> raw_public(evp_pkey_st* key) {
  std::vector<std::byte> raw(k_public_size);
  std::size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length)
      != 1) {
    throw_openssl("EVP_PKEY_get_raw_public_key");
  }
  raw.resize(length);
  return raw;
}

std::shared_ptr<evp_pkey_st> shared(detail::PkeyHandle key) {
  return {key.release(), &detail::free_pkey};
}

} // namespace

void detail::free_pkey(evp_pkey_st* key) noexcept {
  EVP_PKEY_free(key);
}

SigningKey::SigningKey(detail::PkeyHandle key)
    : m_key(shared(std::move(key))) {}

SigningKey SigningKey::load(const std::filesystem::path& pem) {
  const auto bio = open_pem(pem);
  detail::PkeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    throw Error(ExitCode::usage,
                pem.string() + " holds no PEM private key (unencrypted PKCS#8)",
                {"make one with: openssl genpkey -algorithm ed25519 -out sign.pem"});
  }
  require_ed25519(key, pem);
  return SigningKey(std::move(key));
}

SigningKey SigningKey::generate() {
  detail::PkeyHandle key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) {
    throw_openssl("Ed25519 key generation");
  }
  return SigningKey(std::move(key));
}

std::vector<std::byte> SigningKey::public_key() const {
  return raw_public(m_key.get());
}

std::vector<std::byte> SigningKey::sign(std::span<const std::byte> data) const {
  const MdCtx context(EVP_MD_CTX_new());
  std::vector<std::byte> signature(k_signature_size);
  std::size_t length = signature.size();
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, m_key.get()) != 1
      || EVP_DigestSign(context.get(),
                        reinterpret_cast<unsigned char*>(signature.data()),
                        &length,
                        reinterpret_cast<const unsigned char*>(data.data()),
                        data.size())
             != 1) {
    throw_openssl("Ed25519 signing");
  }
  signature.resize(length);
  return signature;
}

VerifyKey::VerifyKey(detail::PkeyHandle key)
    : m_key(shared(std::move(key))) {}

VerifyKey VerifyKey::load(const std::filesystem::path& pem) {
  auto bio = open_pem(pem);
  detail::PkeyHandle key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    bio = open_pem(pem);
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  }
  if (!key) {
    ERR_clear_error();
    throw Error(ExitCode::usage,
                pem.string() + " holds no PEM public key",
                {"export it from the signing key: openssl pkey -in sign.pem -pubout -out "
                 "sign.pub.pem"});
  }
  require_ed25519(key, pem);
  // Keep only the public half, whatever the file held.
  return from_raw(raw_public(key.get()));
}

VerifyKey VerifyKey::from_raw(std::span<const std::byte> raw) {
  detail::PkeyHandle key(
      raw.size() == k_public_size ? EVP_PKEY_new_raw_public_key(
          EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size())
                                  : nullptr);
  if (!key) {
    ERR_clear_error();
    throw IntegrityError("the signature's public key is not a 32-byte Ed25519 key");
  }
  return VerifyKey(std::move(key));
}

std::vector<std::byte> VerifyKey::public_key() const {
  return raw_public(m_key.get());
}

bool VerifyKey::verify(std::span<const std::byte> data,
                       std::span<const std::byte> signature) const {
  const MdCtx context(EVP_MD_CTX_new());
  if (!context
      || EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, m_key.get()) != 1) {
    throw_openssl("Ed25519 verification");
  }
  const int result = EVP_DigestVerify(context.get(),
                                      reinterpret_cast<const unsigned char*>(signature.data()),
                                      signature.size(),
                                      reinterpret_cast<const unsigned char*>(data.data()),
                                      data.size());
  ERR_clear_error();
  return result == 1;
}

std::string key_fingerprint(std::span<const std::byte> raw_public_key) {
  hash::Sha256 sha;
  sha.update(raw_public_key);
  return sha.finish_hex();
}

} // namespace pbk::core::crypto
