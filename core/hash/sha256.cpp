// SPDX-License-Identifier: MIT
#include "core/hash/sha256.hpp"

#include "core/error.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>

namespace pbk::core::hash {

namespace {

// OpenSSL keeps the reason on a thread-local queue; name it, then clear the rest.
[[noreturn]] void throw_openssl(const char* call) {
  const unsigned long code = ERR_get_error();
  std::array<char, 256> text{};
  if (code != 0) {
    ERR_error_string_n(code, text.data(), text.size());
  }
  ERR_clear_error();
  throw Error(ExitCode::runtime,
              std::string("SHA-256: ") + call
                  + " failed: " + (code != 0 ? text.data() : "no error reported by OpenSSL"));
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
