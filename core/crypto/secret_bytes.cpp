// SPDX-License-Identifier: MIT
#include "core/crypto/secret_bytes.hpp"

#include "core/error.hpp"
#include "core/io/fd.hpp"

#include <openssl/crypto.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace pbk::core::crypto {
namespace {

constexpr std::size_t k_max_key_file = 1 << 20;
constexpr std::size_t k_min_key_file = 16;

SecretBytes read_whole(const std::filesystem::path& path, const char* what) {
  auto fd = io::open_file(path, O_RDONLY | O_CLOEXEC);
  SecretBytes content(k_max_key_file + 1);
  std::size_t filled = 0;
  while (filled < content.size()) {
    const auto n = ::read(fd.get(), content.writable().data() + filled, content.size() - filled);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      throw IoError(
          describe_errno(std::string("cannot read the ") + what + " " + path.string(), err), err);
    }
    if (n == 0) {
      break;
    }
    filled += static_cast<std::size_t>(n);
  }
  if (filled > k_max_key_file) {
    throw Error(ExitCode::usage,
                std::string("the ") + what + " " + path.string() + " is larger than 1 MiB",
                {"give the file that holds the key, not an archive or a directory image"});
  }
  return SecretBytes(content.bytes().first(filled));
}

} // namespace

SecretBytes::SecretBytes(std::size_t size)
    : m_bytes(size) {}

SecretBytes::SecretBytes(std::span<const std::byte> bytes)
    : m_bytes(bytes.begin(), bytes.end()) {}

SecretBytes::SecretBytes(const SecretBytes& other)
    : m_bytes(other.m_bytes) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    wipe();
    m_bytes = other.m_bytes;
  }
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : m_bytes(std::move(other.m_bytes)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    m_bytes = std::move(other.m_bytes);
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  wipe();
}

void SecretBytes::wipe() noexcept {
  if (!m_bytes.empty()) {
    OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
  }
}

SecretBytes read_key_file(const std::filesystem::path& path) {
  auto key = read_whole(path, "key file");
  if (key.size() < k_min_key_file) {
    throw Error(ExitCode::usage,
                "the key file " + path.string() + " holds " + std::to_string(key.size())
                    + " bytes; a key file needs at least 16 random bytes",
                {"make one with: head -c 32 /dev/urandom > KEYFILE (or use --passphrase-file)"});
  }
  return key;
}

SecretBytes read_passphrase_file(const std::filesystem::path& path) {
  const auto content = read_whole(path, "passphrase file");
  const auto bytes = content.bytes();
  auto end = std::find(bytes.begin(), bytes.end(), std::byte{'\n'});
  if (end != bytes.begin() && end[-1] == std::byte{'\r'}) {
    --end; // written by an editor with DOS line ends
  }
  if (end == bytes.begin()) {
    throw Error(ExitCode::usage,
                "the passphrase file " + path.string() + " has an empty first line",
                {"write the passphrase on the file's first line"});
  }
  return SecretBytes(std::span<const std::byte>(bytes.begin(), end));
}

} // namespace pbk::core::crypto
