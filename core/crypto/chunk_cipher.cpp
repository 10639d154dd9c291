// SPDX-License-Identifier: MIT
#include "core/crypto/chunk_cipher.hpp"

#include "core/c_handle.hpp"
#include "core/crypto/openssl_error.hpp"
#include "core/error.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

namespace pbk::core::crypto {
namespace {

using CipherCtx = UniqueHandle<EVP_CIPHER_CTX, &EVP_CIPHER_CTX_free>;

constexpr std::uint64_t k_max_chunks = std::uint64_t{1} << 32;

const unsigned char* in_bytes(std::span<const std::byte> bytes) {
  return reinterpret_cast<const unsigned char*>(bytes.data());
}

int int_size(std::size_t size) {
  if (size > k_chunk_size) {
    throw Error(ExitCode::runtime, "sealed chunk larger than 1 MiB: a programming error");
  }
  return static_cast<int>(size);
}

CipherCtx new_context() {
  CipherCtx context(EVP_CIPHER_CTX_new());
  if (!context) {
    throw_openssl("EVP_CIPHER_CTX_new");
  }
  return context;
}

} // namespace

ChunkCipher::ChunkCipher(const SecretBytes& key,
                         std::span<const std::byte> prefix,
                         std::string aad_path)
    : m_key(key),
      m_prefix(prefix.begin(), prefix.end()),
      m_path(std::move(aad_path)) {
  if (m_key.size() != 32 || m_prefix.size() != k_prefix_size) {
    throw Error(ExitCode::runtime, "AES-256-GCM needs a 32-byte key and an 8-byte prefix");
  }
}

std::vector<unsigned char> ChunkCipher::nonce() const {
  if (m_counter >= k_max_chunks) {
    throw Error(ExitCode::runtime, "member " + m_path + " exceeds 2^32 sealed chunks (4 PiB)");
  }
  std::vector<unsigned char> iv(in_bytes(m_prefix), in_bytes(m_prefix) + m_prefix.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    iv.push_back(static_cast<unsigned char>((m_counter >> shift) & 0xFF));
  }
  return iv;
}

std::string ChunkCipher::aad(bool final) const {
  return m_path + (final ? '\x01' : '\x00');
}

void ChunkCipher::seal(std::span<const std::byte> plain, bool final, std::vector<std::byte>& out) {
  const auto iv = nonce();
  const auto extra = aad(final);
  const auto context = new_context();
  const auto at = out.size();
  out.resize(at + plain.size() + k_tag_size);
  auto* cipher_text = reinterpret_cast<unsigned char*>(out.data() + at);
  int length = 0;
  if (EVP_EncryptInit_ex(
          context.get(), EVP_aes_256_gcm(), nullptr, in_bytes(m_key.bytes()), iv.data())
          != 1
      || EVP_EncryptUpdate(context.get(),
                           nullptr,
                           &length,
                           reinterpret_cast<const unsigned char*>(extra.data()),
                           static_cast<int>(extra.size()))
             != 1
      || EVP_EncryptUpdate(
             context.get(), cipher_text, &length, in_bytes(plain), int_size(plain.size()))
             != 1
      || EVP_EncryptFinal_ex(context.get(), cipher_text + length, &length) != 1
      || EVP_CIPHER_CTX_ctrl(context.get(),
                             EVP_CTRL_GCM_GET_TAG,
                             static_cast<int>(k_tag_size),
                             cipher_text + plain.size())
             != 1) {
    out.resize(at);
    throw_openssl("AES-256-GCM sealing of " + m_path);
  }
  ++m_counter;
}

bool ChunkCipher::open(std::span<const std::byte> sealed, bool final, std::vector<std::byte>& out) {
  if (sealed.size() < k_tag_size) {
    return false;
  }
  const auto body = sealed.first(sealed.size() - k_tag_size);
  auto tag = std::vector<unsigned char>(in_bytes(sealed.last(k_tag_size)),
                                        in_bytes(sealed.last(k_tag_size)) + k_tag_size);
  const auto iv = nonce();
  const auto extra = aad(final);
  const auto context = new_context();
  const auto at = out.size();
  out.resize(at + body.size());
  auto* plain = reinterpret_cast<unsigned char*>(out.data() + at);
  int length = 0;
  if (EVP_DecryptInit_ex(
          context.get(), EVP_aes_256_gcm(), nullptr, in_bytes(m_key.bytes()), iv.data())
          != 1
      || EVP_DecryptUpdate(context.get(),
                           nullptr,
                           &length,
                           reinterpret_cast<const unsigned char*>(extra.data()),
                           static_cast<int>(extra.size()))
             != 1
      || EVP_DecryptUpdate(context.get(), plain, &length, in_bytes(body), int_size(body.size()))
             != 1
      || EVP_CIPHER_CTX_ctrl(
             context.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(k_tag_size), tag.data())
             != 1) {
    out.resize(at);
    throw_openssl("AES-256-GCM opening of " + m_path);
  }
  if (EVP_DecryptFinal_ex(context.get(), plain + length, &length) != 1) {
    out.resize(at); // never hand out the bytes of a chunk whose tag failed
    ERR_clear_error();
    return false;
  }
  ++m_counter;
  return true;
}

} // namespace pbk::core::crypto
