// SPDX-License-Identifier: MIT
#include "archive/archive_walk.hpp"

#include "archive/manifest_json.hpp"
#include "archive/member_reader.hpp"

#include "core/error.hpp"
#include "core/hash/hashing_source.hpp"
#include "core/hash/sha256.hpp"
#include "core/interrupt.hpp"
#include "core/io/span_source.hpp"

#include <optional>

namespace pbk::archive {
namespace {

// What verify learns of a member's contents: read through the same MemberReader restore
// loads from, the data discarded. A sealed member without the key is left unread.
MemberContents read_contents(core::io::ByteSource& stored,
                             const std::string& path,
                             const std::string& label,
                             const MemberOpener& opener,
                             std::uint64_t raw_limit) {
  if (archive::is_sealed_path(path) && !opener.can_open()) {
    return {0, 0, false};
  }
  MemberReader reader(opener, stored, path, label, raw_limit);
  reader.skip_rest();
  return {reader.bytes(), reader.lines(), true};
}

} // namespace

ArchiveWalk::ArchiveWalk(ArchiveScanner& scanner)
    : m_scanner(scanner) {}

void ArchiveWalk::fail(const std::string& what) const {
  throw core::IntegrityError(m_scanner.label() + ": " + what,
                             {"the archive is incomplete or damaged: restore from another copy"});
}

const archive::BackupInfo& ArchiveWalk::read_backup_info() {
  const auto member = m_scanner.next();
  if (!member) {
    fail("the archive holds no members: not a postal-backup archive");
  }
  if (member->path != archive::k_backup_member) {
    fail("first member is " + member->path + ", not backup.json: not a postal-backup archive");
  }
  const std::string text = m_scanner.read_text();
  m_info = archive::parse_backup_info(text);
  m_observed.push_back({member->path, text.size(), text.size(), 0, core::hash::sha256_hex(text)});
  return m_info;
}

const archive::Manifest& ArchiveWalk::read_members(const MemberHandler& handler,
                                                   const Settle& settle) {
  std::optional<std::string> manifest_text;
  while (const auto member = m_scanner.next()) {
    core::throw_if_interrupted();
    if (manifest_text) {
      fail("member " + member->path + " follows manifest.json, which must be last");
    }
    if (member->path == archive::k_manifest_member) {
      manifest_text = m_scanner.read_text();
    } else {
      m_opener.check_member(member->path, m_scanner.label());
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
  if (!archive::manifest_self_hash_matches(*manifest_text)) {
    fail("manifest.json does not match its own checksum: it was edited or damaged");
  }
  m_manifest = archive::parse_manifest(*manifest_text);
  if (m_opener.can_open()) {
    m_opener.key().check_manifest(*manifest_text, m_manifest, m_scanner.label());
  }
  m_manifest_text = std::move(*manifest_text);
  check_members(m_observed, m_manifest, m_scanner.label());
  check_tables(m_info, m_manifest, m_scanner.label());
  return m_manifest;
}

ObservedMember observe_member(ArchiveScanner& scanner,
                              const core::tar::TarMember& member,
                              const MemberOpener& opener,
                              const MemberBounds& bounds) {
  const std::string label = scanner.label() + ": member " + member.path;
  if (static_cast<std::uint64_t>(member.size) > bounds.stored) {
    throw core::IntegrityError(label + " is " + std::to_string(member.size)
                               + " bytes, more than a member may hold");
  }
  core::hash::HashingSource hashing(scanner.member_data());
  const auto contents = read_contents(hashing, member.path, label, opener, bounds.raw);
  core::io::drain(hashing);
  return {member.path,
          hashing.bytes(),
          contents.raw_size,
          contents.lines,
          hashing.hex_digest(),
          contents.opened};
}

ObservedMember observe_stored_bytes(ArchiveScanner& scanner,
                                    const core::tar::TarMember& member,
                                    const MemberBounds& bounds) {
  if (static_cast<std::uint64_t>(member.size) > bounds.stored) {
    throw core::IntegrityError(scanner.label() + ": member " + member.path + " is "
                               + std::to_string(member.size)
                               + " bytes, more than a member may hold");
  }
  core::hash::HashingSource hashing(scanner.member_data());
  core::io::drain(hashing);
  return {member.path, hashing.bytes(), 0, 0, hashing.hex_digest(), false};
}

StoredMember read_stored_member(ArchiveScanner& scanner, const core::tar::TarMember& member) {
  if (static_cast<std::uint64_t>(member.size) > k_max_buffered_member) {
    throw core::IntegrityError(scanner.label() + ": member " + member.path + " is "
                               + std::to_string(member.size) + " bytes, too large to read whole");
  }
  StoredMember stored;
  // Read straight into the buffer: one copy of the member in memory, never two.
  stored.data.resize(static_cast<std::size_t>(member.size));
  core::hash::HashingSource hashing(scanner.member_data());
  std::size_t filled = 0;
  while (filled < stored.data.size()) {
    const auto n = hashing.read(std::span(stored.data).subspan(filled));
    if (n == 0) {
      break;
    }
    filled += n;
  }
  // The source ends with the member (the tar header gave its size); reading that end is what
  // completes the digest.
  std::byte after[1];
  if (hashing.read(after) != 0) {
    throw core::IntegrityError(scanner.label() + ": member " + member.path
                               + " is longer than its header says");
  }
  stored.data.resize(filled);
  stored.sha256 = hashing.hex_digest();
  return stored;
}

MemberContents observe_contents(std::span<const std::byte> stored,
                                const std::string& path,
                                const std::string& label,
                                const MemberOpener& opener,
                                std::uint64_t raw_limit) {
  core::io::SpanSource source(stored);
  return read_contents(source, path, label, opener, raw_limit);
}

} // namespace pbk::archive
