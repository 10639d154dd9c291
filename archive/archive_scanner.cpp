// SPDX-License-Identifier: MIT
#include "archive/archive_scanner.hpp"

#include "archive/manifest.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

namespace pbk::archive {
namespace {

constexpr std::size_t k_copy_buffer = 1 << 20;

} // namespace

ArchiveScanner::ArchiveScanner(const std::string& path)
    : m_label(path == "-" ? "standard input" : path) {
  int fd = STDIN_FILENO;
  if (path != "-") {
    m_fd.emplace(core::io::open_file(path, O_RDONLY | O_CLOEXEC));
    fd = m_fd->get();
  }
  m_source = std::make_unique<core::io::FdSource>(fd, m_label);
  m_reader = std::make_unique<core::tar::TarReader>(*m_source, m_label);
}

void ArchiveScanner::rewind() {
  if (!m_fd) {
    throw std::logic_error("standard input cannot be read twice");
  }
  if (::lseek(m_fd->get(), 0, SEEK_SET) != 0) {
    const int err = errno;
    throw core::IoError(core::describe_errno("cannot read " + m_label + " again", err), err);
  }
  m_current.reset();
  m_reader.reset(); // it reads from m_source
  m_source = std::make_unique<core::io::FdSource>(m_fd->get(), m_label);
  m_reader = std::make_unique<core::tar::TarReader>(*m_source, m_label);
}

std::optional<core::tar::TarMember> ArchiveScanner::next() {
  m_current = m_reader->next();
  return m_current;
}

std::string ArchiveScanner::read_text() {
  if (static_cast<std::uint64_t>(m_current->size) > archive::k_max_json_bytes) {
    throw core::IntegrityError(m_label + ": member " + m_current->path + " is "
                                   + std::to_string(m_current->size) + " bytes, more than the "
                                   + std::to_string(archive::k_max_json_bytes >> 20)
                                   + " MiB a postal-backup JSON member may hold",
                               {"the archive is damaged or was not written by postal-backup"});
  }
  std::string text(static_cast<std::size_t>(m_current->size), '\0');
  std::size_t filled = 0;
  while (filled < text.size()) {
    const auto n = m_reader->read(
        std::as_writable_bytes(std::span(text.data() + filled, text.size() - filled)));
    if (n == 0) {
      break;
    }
    filled += n;
  }
  text.resize(filled);
  return text;
}

void ArchiveScanner::copy_to(core::io::ByteSink& sink) {
  std::vector<std::byte> buffer(k_copy_buffer);
  while (const auto n = m_reader->read(buffer)) {
    core::throw_if_interrupted();
    sink.write(std::span<const std::byte>(buffer.data(), n));
  }
}

std::size_t ArchiveScanner::MemberData::read(std::span<std::byte> buffer) {
  core::throw_if_interrupted();
  return m_scanner.m_reader->read(buffer);
}

} // namespace pbk::archive
