// SPDX-License-Identifier: MIT
#include "cli/key_args.hpp"

#include "archive/archive_authenticity.hpp"

#include "core/error.hpp"

namespace pbk::cli {

void KeyArgs::add_to(CLI::App& command) {
  command.add_option("--key-file", m_key_file, "file whose whole content is the archive key");
  command.add_option(
      "--passphrase-file", m_passphrase_file, "file whose first line is the archive passphrase");
}

std::optional<core::crypto::SecretBytes> KeyArgs::load() const {
  if (!m_key_file.empty() && !m_passphrase_file.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "give --key-file or --passphrase-file, not both",
                      {"an archive is sealed with one secret"});
  }
  if (!m_key_file.empty()) {
    return core::crypto::read_key_file(m_key_file);
  }
  if (!m_passphrase_file.empty()) {
    return core::crypto::read_passphrase_file(m_passphrase_file);
  }
  return std::nullopt;
}

void PublicKeyArgs::add_to(CLI::App& command, const std::string& description) {
  command.add_option("--public-key", m_path, description);
}

std::optional<std::filesystem::path> PublicKeyArgs::path() const {
  return archive::required_public_key(
      m_path.empty() ? std::nullopt : std::optional<std::filesystem::path>(m_path));
}

} // namespace pbk::cli
