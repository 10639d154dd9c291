// SPDX-License-Identifier: MIT
// Walks an archive from a file or a pipe, member by member, and knows the two JSON members
// of the format. It checks what can be checked without the manifest (first member, nothing
// after manifest.json); comparing against the manifest is the verifier's job.
//
// A backup in a repository holds reference entries (`<path>.ref`) in place of its data
// members (member_store.hpp): the scanner presents each as the member it stands for, with its
// real path and size, read from the repository's store, so every reader sees one archive.
#pragma once

#include "archive/member_store.hpp"

#include "core/io/byte_sink.hpp"
#include "core/io/fd.hpp"
#include "core/io/fd_source.hpp"
#include "core/tar/tar_reader.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace pbk::archive {

class ArchiveScanner {
public:
  // "-" reads standard input.
  explicit ArchiveScanner(const std::string& path);

  [[nodiscard]] std::optional<core::tar::TarMember> next();
  // Starts again before the first member (a file only): a second pass reads the very file the
  // first one read, even when its path names another file by then.
  void rewind();
  // The current member's bytes, for the small JSON members (bounded, to refuse a bomb).
  [[nodiscard]] std::string read_text();
  // Passes over the current member's bytes unread: read through for a tar member (honouring
  // interrupts, so a slow pipe can be stopped), nothing at all for a stored one.
  void skip_member();
  // The current member's bytes pushed into `sink` (sink.finish() is the caller's).
  void copy_to(core::io::ByteSink& sink);

  // The current member's bytes as a source, for stages that pull (LOAD DATA LOCAL reads at
  // its own pace); honours interrupts between reads.
  [[nodiscard]] core::io::ByteSource& member_data() { return m_member_data; }

  [[nodiscard]] const std::string& label() const { return m_label; }

  // Whether the current member is read from the repository's store (reading it is then the
  // only cost: skipping it costs nothing).
  [[nodiscard]] bool current_is_stored() const { return m_stored.has_value(); }

  // Whether a reference entry was read: the archive is a repository backup.
  [[nodiscard]] bool stored_members_seen() const { return m_stored_members_seen; }

private:
  class MemberData final : public core::io::ByteSource {
  public:
    explicit MemberData(ArchiveScanner& scanner)
        : m_scanner(scanner) {}

    std::size_t read(std::span<std::byte> buffer) override;

  private:
    ArchiveScanner& m_scanner;
  };

  // The current member when it is a stored one (a reference entry resolved).
  struct StoredMember {
    core::io::Fd fd;
    std::unique_ptr<core::io::FdSource> source;
    std::uint64_t left = 0;
  };

  void resolve_reference();
  [[nodiscard]] std::size_t read_current(std::span<std::byte> buffer);

  std::filesystem::path m_path; // empty: standard input
  std::optional<MemberStore> m_store;
  bool m_store_opened = false;
  bool m_stored_members_seen = false;
  std::optional<StoredMember> m_stored;
  std::optional<core::io::Fd> m_fd;
  std::unique_ptr<core::io::FdSource> m_source;
  std::unique_ptr<core::tar::TarReader> m_reader;
  std::string m_label;
  std::optional<core::tar::TarMember> m_current;
  MemberData m_member_data{*this};
};

} // namespace pbk::archive
