// SPDX-License-Identifier: MIT
// Walks an archive from a file or a pipe, member by member, and knows the two JSON members
// of the format. It checks what can be checked without the manifest (first member, nothing
// after manifest.json); comparing against the manifest is the verifier's job.
#pragma once

#include "core/archive/tar_reader.hpp"
#include "core/io/byte_sink.hpp"
#include "core/io/fd.hpp"
#include "core/io/fd_source.hpp"

#include <memory>
#include <optional>
#include <string>

namespace pbk::restore {

class ArchiveScanner {
public:
  // "-" reads standard input.
  explicit ArchiveScanner(const std::string& path);

  [[nodiscard]] std::optional<core::archive::TarMember> next();
  // The current member's bytes, for the small JSON members (bounded, to refuse a bomb).
  [[nodiscard]] std::string read_text();
  // The current member's bytes pushed into `sink` (sink.finish() is the caller's).
  void copy_to(core::io::ByteSink& sink);

  [[nodiscard]] const std::string& label() const { return m_label; }

private:
  std::optional<core::io::Fd> m_fd;
  std::unique_ptr<core::io::FdSource> m_source;
  std::unique_ptr<core::archive::TarReader> m_reader;
  std::string m_label;
  std::optional<core::archive::TarMember> m_current;
};

} // namespace pbk::restore
