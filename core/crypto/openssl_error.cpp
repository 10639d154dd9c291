// SPDX-License-Identifier: MIT
#include "core/crypto/openssl_error.hpp"

#include "core/error.hpp"

#include <openssl/err.h>

#include <array>

namespace pbk::core::crypto {

void throw_openssl(const std::string& what) {
  const unsigned long code = ERR_get_error();
  std::array<char, 256> text{};
  if (code != 0) {
    ERR_error_string_n(code, text.data(), text.size());
  }
  ERR_clear_error();
  throw Error(ExitCode::runtime,
              what + " failed: " + (code != 0 ? text.data() : "no error reported by OpenSSL"));
}

} // namespace pbk::core::crypto
