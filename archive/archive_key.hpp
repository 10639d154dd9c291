// SPDX-License-Identifier: MIT
// The keys of one encrypted archive (docs/format.md, "Encryption"). The operator's secret (a
// key file or a passphrase) and the archive's random salt give a master key through scrypt;
// HKDF-SHA256 splits it into a sealing key (every data member), a check key (backup.json's
// key_check, so a wrong key is named before any member is read) and a MAC key (manifest.json's
// manifest_hmac, so members cannot be dropped or the manifest edited unnoticed).
#pragma once

#include "archive/manifest.hpp"

#include "core/crypto/secret_bytes.hpp"

#include <string>
#include <string_view>

namespace pbk::archive {

// Sealed members are stored under their plain name plus this suffix.
inline constexpr std::string_view k_sealed_suffix = ".sealed";

[[nodiscard]] bool is_sealed_path(std::string_view path);
[[nodiscard]] std::string sealed_path(std::string_view path);
// The path without the suffix (unchanged when it has none).
[[nodiscard]] std::string unsealed_path(std::string_view path);

class ArchiveKey {
public:
  // A new archive's key: fresh salt, default scrypt parameters. `info` receives the
  // backup.json object.
  [[nodiscard]] static ArchiveKey create(const core::crypto::SecretBytes& secret,
                                         EncryptionInfo& info);
  // The key of an existing archive. IntegrityError (exit 4) "the key does not open this
  // archive (key check mismatch)" when `secret` is not the one that sealed it.
  [[nodiscard]] static ArchiveKey unlock(const core::crypto::SecretBytes& secret,
                                         const EncryptionInfo& info);

  [[nodiscard]] const core::crypto::SecretBytes& seal_key() const { return m_seal; }

  // Hex HMAC-SHA256 of a manifest's authenticated text.
  [[nodiscard]] std::string manifest_hmac(std::string_view authenticated) const;
  // Throws IntegrityError unless `manifest_text` carries this key's HMAC.
  void check_manifest(std::string_view manifest_text,
                      const Manifest& manifest,
                      const std::string& label) const;

private:
  ArchiveKey(const core::crypto::SecretBytes& master);

  [[nodiscard]] std::string key_check() const;

  core::crypto::SecretBytes m_seal;
  core::crypto::SecretBytes m_check;
  core::crypto::SecretBytes m_mac;
};

} // namespace pbk::archive
