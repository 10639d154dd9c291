// SPDX-License-Identifier: MIT
// --key-file / --passphrase-file, shared by every command that reads or writes an encrypted
// archive. The secret comes from a file, never from the command line, so it shows neither in
// `ps` nor in shell history.
#pragma once

#include "core/crypto/secret_bytes.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace pbk::cli {

class KeyArgs {
public:
  void add_to(CLI::App& command);
  // The secret, or nullopt when neither option was given; both given is a usage error.
  [[nodiscard]] std::optional<core::crypto::SecretBytes> load() const;

  [[nodiscard]] bool given() const { return !m_key_file.empty() || !m_passphrase_file.empty(); }

private:
  std::string m_key_file;
  std::string m_passphrase_file;
};

// --public-key FILE, on every command that reads an archive: the Ed25519 key its manifest
// must be signed by. POSTAL_BACKUP_PUBLIC_KEY names that file for every command at once, so a
// host can require signed archives; there is deliberately no option that lifts it.
class PublicKeyArgs {
public:
  void add_to(CLI::App& command, const std::string& description);
  // --public-key, else the file POSTAL_BACKUP_PUBLIC_KEY names; nullopt: no signature required.
  [[nodiscard]] std::optional<std::filesystem::path> path() const;

private:
  std::string m_path;
};

} // namespace pbk::cli
