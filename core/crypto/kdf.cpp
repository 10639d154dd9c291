// SPDX-License-Identifier: MIT
#include "core/crypto/kdf.hpp"

#include "core/c_handle.hpp"
#include "core/crypto/openssl_error.hpp"
#include "core/error.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <string>

namespace pbk::core::crypto {
namespace {

using KdfCtx = UniqueHandle<EVP_KDF_CTX, &EVP_KDF_CTX_free>;
using Kdf = UniqueHandle<EVP_KDF, &EVP_KDF_free>;
using Mac = UniqueHandle<EVP_MAC, &EVP_MAC_free>;
using MacCtx = UniqueHandle<EVP_MAC_CTX, &EVP_MAC_CTX_free>;

// Archives are written with N=2^15, r=8 (32 MiB); four times that leaves room to raise the
// cost and keeps every reader of a crafted archive well under 256 MiB.
constexpr std::uint64_t k_max_scrypt_memory = std::uint64_t{128} << 20;

// OpenSSL's parameter arrays take non-const pointers even for inputs.
void* input(std::span<const std::byte> bytes) {
  return const_cast<std::byte*>(bytes.data());
}

SecretBytes derive(const char* algorithm, OSSL_PARAM* params, std::size_t length) {
  const Kdf kdf(EVP_KDF_fetch(nullptr, algorithm, nullptr));
  if (!kdf) {
    throw_openssl(std::string("EVP_KDF_fetch(") + algorithm + ")");
  }
  const KdfCtx context(EVP_KDF_CTX_new(kdf.get()));
  if (!context) {
    throw_openssl("EVP_KDF_CTX_new");
  }
  SecretBytes out(length);
  if (EVP_KDF_derive(context.get(),
                     reinterpret_cast<unsigned char*>(out.writable().data()),
                     out.size(),
                     params)
      != 1) {
    throw_openssl(std::string(algorithm) + " key derivation");
  }
  return out;
}

} // namespace

void check_scrypt_params(const ScryptParams& params) {
  const bool power_of_two = params.n >= 2 && (params.n & (params.n - 1)) == 0;
  const std::uint64_t memory = 128ull * params.r * (params.n + params.p);
  if (!power_of_two || params.r == 0 || params.p == 0 || params.r > 64 || params.p > 64
      || params.n > (std::uint64_t{1} << 24) || memory > k_max_scrypt_memory) {
    throw IntegrityError("scrypt parameters N=" + std::to_string(params.n)
                             + " r=" + std::to_string(params.r) + " p=" + std::to_string(params.p)
                             + " are not a setting postal-backup writes or reads (N a power "
                               "of two, at most 128 MiB of memory)",
                         {"the archive's backup.json was damaged or not written by "
                          "postal-backup"});
  }
}

SecretBytes scrypt(std::span<const std::byte> secret,
                   std::span<const std::byte> salt,
                   const ScryptParams& params,
                   std::size_t length) {
  check_scrypt_params(params);
  std::uint64_t n = params.n;
  std::uint32_t r = params.r;
  std::uint32_t p = params.p;
  std::uint64_t maxmem = k_max_scrypt_memory + (std::uint64_t{1} << 20);
  std::array<OSSL_PARAM, 7> list{
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, input(secret), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, input(salt), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end()};
  return derive("SCRYPT", list.data(), length);
}

SecretBytes hkdf_sha256(std::span<const std::byte> key, std::string_view info, std::size_t length) {
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 4> list{
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, input(key), key.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  return derive("HKDF", list.data(), length);
}

std::vector<std::byte> hmac_sha256(std::span<const std::byte> key,
                                   std::span<const std::byte> data) {
  const Mac mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) {
    throw_openssl("EVP_MAC_fetch(HMAC)");
  }
  const MacCtx context(EVP_MAC_CTX_new(mac.get()));
  if (!context) {
    throw_openssl("EVP_MAC_CTX_new");
  }
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 2> list{OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
  const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  std::vector<std::byte> out(32);
  std::size_t length = 0;
  if (EVP_MAC_init(context.get(), key_bytes, key.size(), list.data()) != 1
      || EVP_MAC_update(
             context.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size())
             != 1
      || EVP_MAC_final(
             context.get(), reinterpret_cast<unsigned char*>(out.data()), &length, out.size())
             != 1) {
    throw_openssl("HMAC-SHA256");
  }
  out.resize(length);
  return out;
}

bool equal_secret(std::span<const std::byte> a, std::span<const std::byte> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::byte> random_bytes(std::size_t count) {
  std::vector<std::byte> out(count);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw_openssl("RAND_bytes");
  }
  return out;
}

} // namespace pbk::core::crypto
