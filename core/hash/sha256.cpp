// SPDX-License-Identifier: MIT
#include "core/hash/sha256.hpp"

#include "core/crypto/openssl_error.hpp"
#include "core/error.hpp"

#include <openssl/evp.h>

#include <array>

namespace pbk::core::hash {

namespace {

[[noreturn]] void throw_openssl(const char* call) {
  crypto::throw_openssl(std::string("SHA-256: ") + call);
}

} // namespace

void Sha256::free_context(evp_md_ctx_st* context) noexcept {
  EVP_MD_CTX_free(context);
}

Sha256::Sha256()
    : m_context(EVP_MD_CTX_new()) {
  if (!m_context) {
    throw_openssl("EVP_MD_CTX_new");
  }
  if (EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr) != 1) {
    throw_openssl("EVP_DigestInit_ex");
  }
}

void Sha256::update(std::span<const std::byte> data) {
  if (m_finished) {
    throw Error(ExitCode::runtime, "SHA-256: update() after finish_hex()");
  }
  if (EVP_DigestUpdate(m_context.get(), data.data(), data.size()) != 1) {
    throw_openssl("EVP_DigestUpdate");
  }
}

std::string Sha256::finish_hex() {
  if (m_finished) {
    throw Error(ExitCode::runtime, "SHA-256: finish_hex() called twice");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(m_context.get(), digest.data(), &length) != 1) {
    throw_openssl("EVP_DigestFinal_ex");
  }
  m_finished = true;
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += k_digits[digest[i] >> 4];
    hex += k_digits[digest[i] & 0x0F];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  Sha256 sha;
  sha.update(data);
  return sha.finish_hex();
}

} // namespace pbk::core::hash
