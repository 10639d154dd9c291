// SPDX-License-Identifier: MIT
#include "restore/archive_walk.hpp"

#include "core/compress/zstd_decompress_sink.hpp"
#include "core/error.hpp"
#include "core/hash/hashing_sink.hpp"
#include "core/hash/sha256.hpp"
#include "core/interrupt.hpp"
#include "core/io/counting_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "manifest/manifest_json.hpp"

#include <optional>

namespace pbk::restore {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size()
         && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

ArchiveWalk::ArchiveWalk(ArchiveScanner& scanner)
    : m_scanner(scanner) {}

void ArchiveWalk::fail(const std::string& what) const {
  throw core::IntegrityError(m_scanner.label() + ": " + what,
                             {"the archive is incomplete or damaged: restore from another copy"});
}

const manifest::BackupInfo& ArchiveWalk::read_backup_info() {
  const auto member = m_scanner.next();
  if (!member) {
    fail("the archive holds no members: not a postal-backup archive");
  }
  if (member->path != manifest::k_backup_member) {
    fail("first member is " + member->path + ", not backup.json: not a postal-backup archive");
  }
  const std::string text = m_scanner.read_text();
  m_info = manifest::parse_backup_info(text);
  m_observed.push_back({member->path, text.size(), text.size(), 0, core::hash::sha256_hex(text)});
  return m_info;
}

const manifest::Manifest& ArchiveWalk::read_members(const MemberHandler& handler,
                                                    const Settle& settle) {
  std::optional<std::string> manifest_text;
  while (const auto member = m_scanner.next()) {
    core::throw_if_interrupted();
    if (manifest_text) {
      fail("member " + member->path + " follows manifest.json, which must be last");
    }
    if (member->path == manifest::k_manifest_member) {
      manifest_text = m_scanner.read_text();
    } else {
      m_observed.push_back(handler(m_scanner, *member));
    }
  }
  if (settle) {
    settle(m_observed);
  }
  if (!manifest_text) {
    fail("no manifest.json after " + m_observed.back().path
         + ": the archive is truncated or the backup never finished");
  }
  if (!manifest::manifest_self_hash_matches(*manifest_text)) {
    fail("manifest.json does not match its own checksum: it was edited or damaged");
  }
  m_manifest = manifest::parse_manifest(*manifest_text);
  check_members(m_observed, m_manifest, m_scanner.label());
  check_tables(m_info, m_manifest, m_scanner.label());
  return m_manifest;
}

ObservedMember observe_member(ArchiveScanner& scanner, const core::archive::TarMember& member) {
  core::io::NullSink discard;
  core::io::CountingSink counting(discard);
  std::optional<core::compress::ZstdDecompressSink> decompress;
  core::io::ByteSink* after_hash = &counting;
  if (ends_with(member.path, ".zst")) {
    decompress.emplace(counting, scanner.label() + ": member " + member.path);
    after_hash = &*decompress;
  }
  core::hash::HashingSink hashing(*after_hash);
  scanner.copy_to(hashing);
  hashing.finish();
  return {
      member.path, hashing.bytes(), counting.bytes(), counting.newlines(), hashing.hex_digest()};
}

} // namespace pbk::restore
