// SPDX-License-Identifier: MIT
#include "archive/archive_output.hpp"

#include "core/error.hpp"

#include <unistd.h>

namespace pbk::archive {

std::unique_ptr<ArchiveOutput> ArchiveOutput::to_file(const std::filesystem::path& path) {
  std::unique_ptr<ArchiveOutput> output(new ArchiveOutput());
  if (std::filesystem::exists(path)) {
    throw core::Error(core::ExitCode::usage,
                      "output file " + path.string() + " already exists; not overwriting it",
                      {"choose another --output, or use --output-dir for generated names"});
  }
  output->m_file.emplace(path, 0600, core::io::Overwrite::exclusive);
  output->m_hashing.emplace(output->m_file->sink());
  output->m_location = path.string();
  return output;
}

std::unique_ptr<ArchiveOutput> ArchiveOutput::to_stdout() {
  if (::isatty(STDOUT_FILENO)) {
    throw core::Error(core::ExitCode::usage,
                      "refusing to write an archive to a terminal",
                      {"redirect standard output to a file or a pipe, or use --output FILE"});
  }
  std::unique_ptr<ArchiveOutput> output(new ArchiveOutput());
  output->m_stdout.emplace(STDOUT_FILENO, "standard output");
  output->m_hashing.emplace(*output->m_stdout);
  output->m_location = "-";
  return output;
}

void ArchiveOutput::commit() {
  m_hashing->finish();
  m_sha256 = m_hashing->hex_digest();
  m_bytes = m_hashing->bytes();
  if (m_file) {
    m_file->commit();
  }
}

} // namespace pbk::archive
