// SPDX-License-Identifier: MIT
#include "archive/archive_builder.hpp"

#include "archive/manifest_json.hpp"
#include "archive/manifest_signature.hpp"
#include "archive/member_path.hpp"

#include "core/crypto/seal_sink.hpp"
#include "core/hash/hashing_sink.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/byte_sink.hpp"

namespace pbk::archive {

ArchiveBuilder::ArchiveBuilder(core::io::ByteSink& out, std::int64_t mtime)
    : m_tar(out),
      m_mtime(mtime) {}

void ArchiveBuilder::protect(ArchiveProtection protection) {
  m_protection = std::move(protection);
}

void ArchiveBuilder::store_members_in(std::shared_ptr<const MemberStore> store) {
  m_store = std::move(store);
}

void ArchiveBuilder::put_data(const std::string& path,
                              std::span<const std::byte> data,
                              const std::string& sha256,
                              archive::MemberKind kind) {
  if (!m_store || kind == archive::MemberKind::config) {
    m_tar.add_member(path, data, m_mtime);
    return;
  }
  const MemberReference reference{sha256, data.size()};
  const bool written = m_store->put(reference, data);
  m_tar.add_member(path + std::string(k_reference_suffix),
                   core::io::bytes_of(reference_text(reference)),
                   m_mtime);
  m_stored_bytes += written ? data.size() : 0;
}

void ArchiveBuilder::add_stored_member(const archive::MemberRecord& record) {
  const std::lock_guard lock(m_mutex);
  m_tar.add_member(record.path + std::string(k_reference_suffix),
                   core::io::bytes_of(reference_text({record.sha256, record.size})),
                   m_mtime);
  m_referenced_bytes += record.size;
  m_manifest.members.push_back(record);
}

void ArchiveBuilder::add_backup_info(const archive::BackupInfo& info) {
  const std::string text = archive::serialize(info);
  m_tar.add_member(archive::k_backup_member, core::io::bytes_of(text), m_mtime);
  archive::MemberRecord record;
  record.path = archive::k_backup_member;
  record.kind = archive::MemberKind::backup_info;
  record.size = text.size();
  record.raw_size = text.size();
  record.sha256 = core::hash::sha256_hex(text);
  m_manifest.members.push_back(std::move(record));
}

archive::MemberRecord ArchiveBuilder::add_member(std::string path,
                                                 archive::MemberKind kind,
                                                 const std::string& database,
                                                 const std::string& table,
                                                 const CompressedMember& member) {
  const std::lock_guard lock(m_mutex);
  return write_member(std::move(path), kind, database, table, member);
}

archive::MemberRecord& ArchiveBuilder::write_member(std::string path,
                                                    archive::MemberKind kind,
                                                    const std::string& database,
                                                    const std::string& table,
                                                    const CompressedMember& member) {
  archive::MemberRecord record;
  if (m_protection.key) {
    path = archive::sealed_path(path);
    m_sealed.clear();
    core::hash::HashingSink hashing(m_sealed);
    core::crypto::SealSink seal(hashing, m_protection.key->seal_key(), path);
    seal.write(member.data());
    seal.finish();
    record.size = m_sealed.size();
    record.sha256 = hashing.hex_digest();
    put_data(path, m_sealed.data(), record.sha256, kind);
  } else {
    record.size = member.data().size();
    record.sha256 = member.sha256();
    put_data(path, member.data(), record.sha256, kind);
  }
  record.path = std::move(path);
  record.kind = kind;
  record.database = database;
  record.table = table;
  record.raw_size = member.raw_size();
  record.rows = kind == archive::MemberKind::rows ? member.lines() : 0;
  m_manifest.members.push_back(std::move(record));
  return m_manifest.members.back();
}

void ArchiveBuilder::add_config_file(const archive::ConfigFile& file,
                                     const CompressedMember& member) {
  const std::lock_guard lock(m_mutex);
  write_member(archive::config_member_path(file.name), archive::MemberKind::config, "", "", member)
      .config = file;
}

void ArchiveBuilder::add_table(archive::TableRecord record) {
  const std::lock_guard lock(m_mutex);
  m_manifest.tables.push_back(std::move(record));
}

const archive::Manifest& ArchiveBuilder::finish(std::string finished_at) {
  m_manifest.finished_at = std::move(finished_at);
  if (m_protection.key) {
    m_manifest.manifest_hmac.emplace();
  }
  if (m_protection.signer) {
    m_manifest.signature = archive::signature_placeholder(*m_protection.signer);
  }
  const std::string text =
      archive::serialize(m_manifest, [this](std::string_view authenticated, archive::Manifest& m) {
        if (m_protection.key) {
          m.manifest_hmac = m_protection.key->manifest_hmac(authenticated);
        }
        if (m_protection.signer) {
          archive::sign_manifest(authenticated, m, *m_protection.signer);
        }
      });
  m_tar.add_member(archive::k_manifest_member, core::io::bytes_of(text), m_mtime);
  m_tar.close();
  return m_manifest;
}

} // namespace pbk::archive
