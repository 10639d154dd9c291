// SPDX-License-Identifier: MIT
#include "archive/archive_key.hpp"

#include "archive/manifest_json.hpp"

#include "core/crypto/hex.hpp"
#include "core/crypto/kdf.hpp"
#include "core/error.hpp"

namespace pbk::archive {
namespace {

constexpr std::size_t k_salt_size = 16;
constexpr std::string_view k_key_check_text = "postal-backup key check";

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

core::crypto::ScryptParams params_of(const EncryptionInfo& info) {
  return {info.n, info.r, info.p};
}

} // namespace

bool is_sealed_path(std::string_view path) {
  return path.ends_with(k_sealed_suffix);
}

std::string sealed_path(std::string_view path) {
  return std::string(path) + std::string(k_sealed_suffix);
}

std::string unsealed_path(std::string_view path) {
  return std::string(is_sealed_path(path) ? path.substr(0, path.size() - k_sealed_suffix.size())
                                          : path);
}

ArchiveKey::ArchiveKey(const core::crypto::SecretBytes& master)
    : m_seal(core::crypto::hkdf_sha256(master.bytes(), "postal-backup v1 seal")),
      m_check(core::crypto::hkdf_sha256(master.bytes(), "postal-backup v1 key check")),
      m_mac(core::crypto::hkdf_sha256(master.bytes(), "postal-backup v1 manifest hmac")) {}

ArchiveKey ArchiveKey::create(const core::crypto::SecretBytes& secret, EncryptionInfo& info) {
  info = EncryptionInfo{};
  const auto salt = core::crypto::random_bytes(k_salt_size);
  info.salt = core::crypto::to_hex(salt);
  ArchiveKey key(core::crypto::scrypt(secret.bytes(), salt, params_of(info)));
  info.key_check = key.key_check();
  return key;
}

ArchiveKey ArchiveKey::unlock(const core::crypto::SecretBytes& secret, const EncryptionInfo& info) {
  const auto salt = core::crypto::from_hex(info.salt);
  if (!salt || salt->size() < 8) {
    throw core::IntegrityError("backup.json's encryption salt is not hex of at least 8 bytes",
                               {"the archive's backup.json was damaged"});
  }
  ArchiveKey key(core::crypto::scrypt(secret.bytes(), *salt, params_of(info)));
  const auto expected = core::crypto::from_hex(info.key_check);
  const auto actual = core::crypto::from_hex(key.key_check());
  if (!expected || !core::crypto::equal_secret(*expected, *actual)) {
    throw core::IntegrityError(
        "the key does not open this archive (key check mismatch)",
        {"give the key file or passphrase file the archive was created with; nothing was read"});
  }
  return key;
}

std::string ArchiveKey::key_check() const {
  return core::crypto::to_hex(
      core::crypto::hmac_sha256(m_check.bytes(), bytes_of(k_key_check_text)));
}

std::string ArchiveKey::manifest_hmac(std::string_view authenticated) const {
  return core::crypto::to_hex(core::crypto::hmac_sha256(m_mac.bytes(), bytes_of(authenticated)));
}

void ArchiveKey::check_manifest(std::string_view manifest_text,
                                const Manifest& manifest,
                                const std::string& label) const {
  const std::vector<std::string> hint = {
      "the archive was altered after it was written: restore from another copy"};
  if (!manifest.manifest_hmac) {
    throw core::IntegrityError(label
                                   + ": manifest.json of an encrypted archive has no "
                                     "manifest_hmac: members may have been removed",
                               hint);
  }
  const auto expected = core::crypto::from_hex(*manifest.manifest_hmac);
  const auto actual = core::crypto::from_hex(manifest_hmac(authenticated_text(manifest_text)));
  if (!expected || !core::crypto::equal_secret(*expected, *actual)) {
    throw core::IntegrityError(label
                                   + ": manifest.json's manifest_hmac does not match under "
                                     "the archive key: the manifest was edited",
                               hint);
  }
}

} // namespace pbk::archive
