// SPDX-License-Identifier: MIT
// Key material in memory: a byte buffer that is wiped (OPENSSL_cleanse, which the compiler may
// not optimise away) whenever it is destroyed or overwritten, so a passphrase or a derived key
// does not outlive its use in freed heap memory. Copyable, because option structs are.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace pbk::core::crypto {

class SecretBytes {
public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  explicit SecretBytes(std::span<const std::byte> bytes);
  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  [[nodiscard]] std::span<const std::byte> bytes() const { return m_bytes; }

  [[nodiscard]] std::span<std::byte> writable() { return m_bytes; }

  [[nodiscard]] std::size_t size() const { return m_bytes.size(); }

  [[nodiscard]] bool empty() const { return m_bytes.empty(); }

private:
  void wipe() noexcept;

  std::vector<std::byte> m_bytes;
};

// A key file's whole content (e.g. `head -c 32 /dev/urandom > key`); at least 16 bytes.
[[nodiscard]] SecretBytes read_key_file(const std::filesystem::path& path);
// A passphrase file's first line, without its line feed (and a CR before it); not empty.
[[nodiscard]] SecretBytes read_passphrase_file(const std::filesystem::path& path);

} // namespace pbk::core::crypto
