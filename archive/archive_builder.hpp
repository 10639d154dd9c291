// SPDX-License-Identifier: MIT
// Writes the archive in its required order (backup.json, data members, manifest.json) and
// keeps the manifest's member list in step with what was actually written, so the manifest
// can never describe a member the archive does not hold.
#pragma once

#include "archive/archive_key.hpp"
#include "archive/compressed_member.hpp"
#include "archive/manifest.hpp"
#include "archive/member_store.hpp"

#include "core/crypto/ed25519.hpp"
#include "core/io/byte_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "core/tar/tar_writer.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::archive {

// create --encrypt / --sign-key (docs/format.md, "Encryption", "Signature").
struct ArchiveProtection {
  std::shared_ptr<const archive::ArchiveKey> key;         // seals data members, HMACs the manifest
  std::optional<archive::EncryptionInfo> encryption;      // backup.json's record of that key
  std::shared_ptr<const core::crypto::SigningKey> signer; // signs the manifest
};

class ArchiveBuilder {
public:
  ArchiveBuilder(core::io::ByteSink& out, std::int64_t mtime);

  // Before anything is added: seal every data member (path + ".sealed") and authenticate
  // the manifest as `protection` says.
  void protect(ArchiveProtection protection);
  // create --incremental, before anything is added: every data member goes to `store` and the
  // archive holds a reference entry in its place (member_store.hpp).
  void store_members_in(std::shared_ptr<const MemberStore> store);
  void add_backup_info(const archive::BackupInfo& info);
  // A finished member; returns its record as stored in the manifest. add_member,
  // add_config_file and add_table may be called from several threads at once: each member is
  // written whole, in the order the calls take the lock.
  archive::MemberRecord add_member(std::string path,
                                   archive::MemberKind kind,
                                   const std::string& database,
                                   const std::string& table,
                                   const CompressedMember& member);
  // A finished config member (Postal's config directory), written like any other member.
  void add_config_file(const archive::ConfigFile& file, const CompressedMember& member);
  void add_table(archive::TableRecord record);
  // A member an earlier backup put in the store, referenced as it is (a past raw table that
  // did not change); its record is copied into this manifest.
  void add_stored_member(const archive::MemberRecord& record);
  // Writes manifest.json and the end of the tar; the caller then commits the output.
  [[nodiscard]] const archive::Manifest& finish(std::string finished_at);

  [[nodiscard]] const archive::Manifest& manifest() const { return m_manifest; }

  // Bytes of data members written to the store by this backup (not those an intact copy of was
  // there already), and bytes referenced as earlier backups stored them.
  [[nodiscard]] std::uint64_t stored_bytes() const { return m_stored_bytes; }

  [[nodiscard]] std::uint64_t referenced_bytes() const { return m_referenced_bytes; }

private:
  // The caller holds m_mutex; the reference is valid until the next member is written.
  archive::MemberRecord& write_member(std::string path,
                                      archive::MemberKind kind,
                                      const std::string& database,
                                      const std::string& table,
                                      const CompressedMember& member);

  core::tar::TarWriter m_tar;
  std::int64_t m_mtime;
  archive::Manifest m_manifest;
  ArchiveProtection m_protection;
  // Writes a data member's bytes: into the tar, or into the store with a reference in the tar.
  void put_data(const std::string& path,
                std::span<const std::byte> data,
                const std::string& sha256,
                archive::MemberKind kind);

  core::io::MemorySink m_sealed; // reused: keeps its capacity across members
  std::shared_ptr<const MemberStore> m_store;
  std::uint64_t m_stored_bytes = 0;
  std::uint64_t m_referenced_bytes = 0;
  std::mutex m_mutex;
};

} // namespace pbk::archive
