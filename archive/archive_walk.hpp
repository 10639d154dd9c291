// SPDX-License-Identifier: MIT
// The order every reader of an archive follows: backup.json first (so a caller can decide
// before any data is read), then each data member handed to the caller, then manifest.json,
// which must be last, must hash to itself, and must list exactly the members that were seen
// (sizes, SHA-256, rows) and agree with backup.json. `verify` and `restore` share it, so they
// accept and refuse the same archives.
#pragma once

#include "archive/archive_scanner.hpp"
#include "archive/manifest.hpp"
#include "archive/member_bounds.hpp"
#include "archive/member_check.hpp"
#include "archive/member_opener.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace pbk::archive {

class ArchiveWalk {
public:
  // What a data member handler must report for the manifest comparison.
  using MemberHandler = std::function<ObservedMember(ArchiveScanner&, const core::tar::TarMember&)>;

  explicit ArchiveWalk(ArchiveScanner& scanner);

  // Reads the first member, which must be backup.json.
  const archive::BackupInfo& read_backup_info();
  // What completes observations a handler left for later (members loaded asynchronously);
  // runs after the last member, before the checks.
  using Settle = std::function<void(std::vector<ObservedMember>&)>;

  // Hands every data member to `handler` and reads manifest.json; then checks everything.
  // Throws IntegrityError (exit 4) naming the first problem.
  const archive::Manifest& read_members(const MemberHandler& handler, const Settle& settle = {});

  // How data members are read (after read_backup_info, before read_members). With a key, the
  // manifest's HMAC is checked too, so a member dropped from the archive is noticed.
  void set_opener(MemberOpener opener) { m_opener = std::move(opener); }

  [[nodiscard]] const MemberOpener& opener() const { return m_opener; }

  // manifest.json's exact bytes, for signature checks; empty before read_members.
  [[nodiscard]] const std::string& manifest_text() const { return m_manifest_text; }

  [[nodiscard]] const archive::BackupInfo& info() const { return m_info; }

  [[nodiscard]] const std::vector<ObservedMember>& observed() const { return m_observed; }

private:
  [[noreturn]] void fail(const std::string& what) const;

  ArchiveScanner& m_scanner;
  archive::BackupInfo m_info;
  archive::Manifest m_manifest;
  std::string m_manifest_text;
  MemberOpener m_opener;
  std::vector<ObservedMember> m_observed;
};

// A data member hashed, opened (when sealed and the key is known), decompressed and counted,
// its data discarded (what `verify` does). It streams: memory stays flat whatever the member
// holds, and it may decompress to no more than `bounds` allow.
[[nodiscard]] ObservedMember observe_member(ArchiveScanner& scanner,
                                            const core::tar::TarMember& member,
                                            const MemberOpener& opener = {},
                                            const MemberBounds& bounds = {});

// A data member hashed but neither opened nor decompressed (a table a selective restore leaves
// out): its stored bytes are still held to the manifest's size and SHA-256, its contents are
// not read (opened is false), so it costs one read of its bytes.
[[nodiscard]] ObservedMember observe_stored_bytes(ArchiveScanner& scanner,
                                                  const core::tar::TarMember& member,
                                                  const MemberBounds& bounds = {});

// Members up to this size are read whole and handed to worker threads; larger ones (rare:
// data that does not compress, or a large --chunk-size) are streamed by the reading thread,
// so no member costs more memory than this.
inline constexpr std::uint64_t k_max_buffered_member = std::uint64_t{32} << 20;

// A member's stored bytes, read whole, with their size and SHA-256.
struct StoredMember {
  std::vector<std::byte> data;
  std::string sha256;
};

// For members of at most k_max_buffered_member bytes (anything larger is refused, never
// allocated).
[[nodiscard]] StoredMember read_stored_member(ArchiveScanner& scanner,
                                              const core::tar::TarMember& member);

// What a member's stored bytes open and decompress to.
struct MemberContents {
  std::uint64_t raw_size = 0;
  std::uint64_t lines = 0;
  bool opened = true; // false: sealed and no key; the other fields are unknown
};

// Throws IntegrityError (naming `label`) when they do not open or decompress, or decompress
// to more than `raw_limit` bytes.
[[nodiscard]] MemberContents observe_contents(std::span<const std::byte> stored,
                                              const std::string& path,
                                              const std::string& label,
                                              const MemberOpener& opener,
                                              std::uint64_t raw_limit);

} // namespace pbk::archive
