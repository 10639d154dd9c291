// SPDX-License-Identifier: MIT
// How the data members of one archive are read. A plain archive's members are read as stored;
// an encrypted archive's (backup.json has "encryption") are opened with the archive key; an
// encrypted archive without a key can only have its stored bytes checked (verify). Every data
// member of an encrypted archive must be sealed and no member of a plain one may be: a plain
// member slipped into an encrypted archive would otherwise be read without authentication.
#pragma once

#include "archive/archive_key.hpp"
#include "archive/manifest.hpp"

#include "core/crypto/open_source.hpp"
#include "core/crypto/secret_bytes.hpp"
#include "core/io/byte_sink.hpp"

#include <memory>
#include <optional>
#include <string>

namespace pbk::archive {

enum class KeyUse {
  required, // restore: the data must be opened
  optional, // verify, inspect, plan: without a key, say what could not be checked
};

class MemberOpener {
public:
  MemberOpener() = default; // an archive that is not encrypted

  // Checks `secret` against backup.json before any member is read: exit 4 for a key that
  // does not open the archive, exit 2 for an encrypted archive without a key when `use` is
  // required, exit 4 for a key given with an archive that is not encrypted.
  [[nodiscard]] static MemberOpener
  for_archive(const archive::BackupInfo& info,
              const std::optional<core::crypto::SecretBytes>& secret,
              KeyUse use);

  [[nodiscard]] bool encrypted() const { return m_encrypted; }

  [[nodiscard]] bool can_open() const { return m_key != nullptr; }

  [[nodiscard]] const archive::ArchiveKey& key() const { return *m_key; }

  // IntegrityError when the member's sealing does not match the archive's.
  void check_member(const std::string& path, const std::string& label) const;

private:
  bool m_encrypted = false;
  std::shared_ptr<const archive::ArchiveKey> m_key;
};

// A member's compressed bytes pulled from its stored bytes: opened when the member is sealed,
// passed through when not. Needs a MemberOpener that can open sealed members.
class OpenedSource : public core::io::ByteSource {
public:
  OpenedSource(const MemberOpener& opener,
               core::io::ByteSource& stored,
               const std::string& path,
               std::string label);

  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

private:
  core::io::ByteSource& m_stored;
  std::optional<core::crypto::OpenSource> m_open;
};

} // namespace pbk::archive
