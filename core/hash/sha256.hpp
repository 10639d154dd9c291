// SPDX-License-Identifier: MIT
// Sha256 is an incremental SHA-256 (OpenSSL EVP) giving lowercase hex, the form the manifest
// stores and `sha256sum` prints. finish_hex() ends the computation: call it exactly once, and
// do not update() afterwards (both throw). OpenSSL failures throw Error with its message.
#pragma once

#include "core/c_handle.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace pbk::core::hash {

class Sha256 {
public:
  Sha256();

  void update(std::span<const std::byte> data);

  void update(std::string_view text) { update(std::as_bytes(std::span(text.data(), text.size()))); }

  [[nodiscard]] std::string finish_hex();

private:
  static void free_context(evp_md_ctx_st* context) noexcept;

  UniqueHandle<evp_md_ctx_st, &Sha256::free_context> m_context;
  bool m_finished = false;
};

// SHA-256 of `data` as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

} // namespace pbk::core::hash
