// SPDX-License-Identifier: MIT
// Walks an archive from a file or a pipe, member by member, and knows the two JSON members
// of the format. It checks what can be checked without the manifest (first member, nothing
// after manifest.json); comparing against the manifest is the verifier's job.
#pragma once

#include "core/io/byte_sink.hpp"
#include "core/io/fd.hpp"
#include "core/io/fd_source.hpp"
#include "core/tar/tar_reader.hpp"

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
  // The current member's bytes pushed into `sink` (sink.finish() is the caller's).
  void copy_to(core::io::ByteSink& sink);

  // The current member's bytes as a source, for stages that pull (LOAD DATA LOCAL reads at
  // its own pace); honours interrupts between reads.
  [[nodiscard]] core::io::ByteSource& member_data() { return m_member_data; }

  [[nodiscard]] const std::string& label() const { return m_label; }

private:
  class MemberData final : public core::io::ByteSource {
  public:
    explicit MemberData(ArchiveScanner& scanner)
        : m_scanner(scanner) {}

    std::size_t read(std::span<std::byte> buffer) override;

  private:
    ArchiveScanner& m_scanner;
  };

  std::optional<core::io::Fd> m_fd;
  std::unique_ptr<core::io::FdSource> m_source;
  std::unique_ptr<core::tar::TarReader> m_reader;
  std::string m_label;
  std::optional<core::tar::TarMember> m_current;
  MemberData m_member_data{*this};
};

} // namespace pbk::archive
