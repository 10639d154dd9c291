// SPDX-License-Identifier: MIT
#include "archive/member_opener.hpp"

#include "core/error.hpp"

namespace pbk::archive {

MemberOpener MemberOpener::for_archive(const archive::BackupInfo& info,
                                       const std::optional<core::crypto::SecretBytes>& secret,
                                       KeyUse use) {
  MemberOpener opener;
  if (!info.encryption) {
    if (secret) {
      throw core::IntegrityError(
          "the archive is not encrypted, but a key was given: it is not an archive that key "
          "sealed",
          {"drop --key-file/--passphrase-file to read an archive written without --encrypt"});
    }
    return opener;
  }
  opener.m_encrypted = true;
  if (!secret) {
    if (use == KeyUse::required) {
      throw core::Error(core::ExitCode::usage,
                        "the archive is encrypted: give --key-file or --passphrase-file",
                        {"use the key file or passphrase file given to `create --encrypt`"});
    }
    return opener;
  }
  opener.m_key = std::make_shared<const archive::ArchiveKey>(
      archive::ArchiveKey::unlock(*secret, *info.encryption));
  return opener;
}

void MemberOpener::check_member(const std::string& path, const std::string& label) const {
  const bool sealed = archive::is_sealed_path(path);
  if (sealed && !m_encrypted) {
    throw core::IntegrityError(label + ": member " + path
                                   + " is sealed, but backup.json records no encryption",
                               {"the archive was altered: restore from another copy"});
  }
  if (!sealed && m_encrypted) {
    throw core::IntegrityError(label + ": member " + path
                                   + " is not sealed in an encrypted archive",
                               {"the archive was altered: restore from another copy"});
  }
}

OpenedSource::OpenedSource(const MemberOpener& opener,
                           core::io::ByteSource& stored,
                           const std::string& path,
                           std::string label)
    : m_stored(stored) {
  if (archive::is_sealed_path(path)) {
    if (!opener.can_open()) {
      throw core::Error(core::ExitCode::usage,
                        "member " + path + " is sealed: give --key-file or --passphrase-file");
    }
    m_open.emplace(stored, opener.key().seal_key(), path, std::move(label));
  }
}

std::size_t OpenedSource::read(std::span<std::byte> buffer) {
  return m_open ? m_open->read(buffer) : m_stored.read(buffer);
}

} // namespace pbk::archive
