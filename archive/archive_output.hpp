// SPDX-License-Identifier: MIT
// Where a new archive goes: a file, written as NAME.partial (mode 0600, it holds DKIM keys
// and credentials), fsynced and renamed only by commit(), so a killed or failed backup never
// leaves a file that looks complete; or standard output, for piping into restic or rclone.
// Both hash the whole archive on the way out.
#pragma once

#include "core/hash/hashing_sink.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/byte_sink.hpp"
#include "core/io/fd_sink.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace pbk::archive {

class ArchiveOutput {
public:
  [[nodiscard]] static std::unique_ptr<ArchiveOutput> to_file(const std::filesystem::path& path);
  [[nodiscard]] static std::unique_ptr<ArchiveOutput> to_stdout();

  [[nodiscard]] core::io::ByteSink& sink() { return *m_hashing; }

  void commit();

  [[nodiscard]] const std::string& sha256() const { return m_sha256; }

  [[nodiscard]] std::uint64_t bytes() const { return m_bytes; }

  [[nodiscard]] const std::string& location() const { return m_location; }

private:
  ArchiveOutput() = default;

  std::optional<core::io::AtomicFile> m_file;
  std::optional<core::io::FdSink> m_stdout;
  std::optional<core::hash::HashingSink> m_hashing;
  std::string m_location;
  std::string m_sha256;
  std::uint64_t m_bytes = 0;
};

} // namespace pbk::archive
