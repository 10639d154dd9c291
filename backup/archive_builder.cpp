// SPDX-License-Identifier: MIT
#include "backup/archive_builder.hpp"

#include "core/hash/sha256.hpp"
#include "manifest/manifest_json.hpp"
#include "manifest/member_path.hpp"

namespace pbk::backup {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

} // namespace

ArchiveBuilder::ArchiveBuilder(core::io::ByteSink& out, std::int64_t mtime)
    : m_tar(out),
      m_mtime(mtime) {}

void ArchiveBuilder::add_backup_info(const manifest::BackupInfo& info) {
  const std::string text = manifest::serialize(info);
  m_tar.add_member(manifest::k_backup_member, bytes_of(text), m_mtime);
  manifest::MemberRecord record;
  record.path = manifest::k_backup_member;
  record.kind = manifest::MemberKind::backup_info;
  record.size = text.size();
  record.raw_size = text.size();
  record.sha256 = core::hash::sha256_hex(text);
  m_manifest.members.push_back(std::move(record));
}

const manifest::MemberRecord& ArchiveBuilder::add_member(std::string path,
                                                         manifest::MemberKind kind,
                                                         const std::string& database,
                                                         const std::string& table,
                                                         const CompressedMember& member) {
  m_tar.add_member(path, member.data(), m_mtime);
  manifest::MemberRecord record;
  record.path = std::move(path);
  record.kind = kind;
  record.database = database;
  record.table = table;
  record.size = member.data().size();
  record.raw_size = member.raw_size();
  record.rows = kind == manifest::MemberKind::rows ? member.lines() : 0;
  record.sha256 = member.sha256();
  m_manifest.members.push_back(std::move(record));
  return m_manifest.members.back();
}

void ArchiveBuilder::add_config_file(const manifest::ConfigFile& file,
                                     const CompressedMember& member) {
  (void)add_member(
      manifest::config_member_path(file.name), manifest::MemberKind::config, "", "", member);
  m_manifest.members.back().config = file;
}

void ArchiveBuilder::add_table(manifest::TableRecord record) {
  m_manifest.tables.push_back(std::move(record));
}

const manifest::Manifest& ArchiveBuilder::finish(std::string finished_at) {
  m_manifest.finished_at = std::move(finished_at);
  const std::string text = manifest::serialize(m_manifest);
  m_tar.add_member(manifest::k_manifest_member, bytes_of(text), m_mtime);
  m_tar.close();
  return m_manifest;
}

} // namespace pbk::backup
