// SPDX-License-Identifier: MIT
#include "archive/archive_scanner.hpp"

#include "archive/manifest.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/io/memory_sink.hpp"
#include "core/io/read_up_to.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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
    m_path = path;
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
  m_stored.reset();
  m_reader.reset(); // it reads from m_source
  m_source = std::make_unique<core::io::FdSource>(m_fd->get(), m_label);
  m_reader = std::make_unique<core::tar::TarReader>(*m_source, m_label);
}

std::optional<core::tar::TarMember> ArchiveScanner::next() {
  m_stored.reset();
  m_current = m_reader->next();
  if (m_current && is_reference_path(m_current->path)) {
    resolve_reference();
  }
  return m_current;
}

void ArchiveScanner::resolve_reference() {
  m_stored_members_seen = true;
  const std::string path = referenced_path(m_current->path);
  if (!m_fd) {
    throw core::IntegrityError(
        m_label + ": " + path + " is kept in a backup repository, which a pipe cannot reach",
        {"read the backup from its directory, or make a self-contained copy with `postal-backup "
         "export BACKUP --output FILE`"});
  }
  const std::string entry = m_label + ": " + m_current->path;
  if (static_cast<std::uint64_t>(m_current->size) > k_max_reference_bytes) {
    (void)parse_reference("", entry); // throws: no reference is that long
  }
  const auto text = core::io::read_up_to(*m_reader, static_cast<std::size_t>(m_current->size));
  const auto reference = parse_reference(text, entry);
  if (!m_store_opened) {
    const auto directory =
        m_path.parent_path().empty() ? std::filesystem::path(".") : m_path.parent_path();
    m_store = MemberStore::open_existing(directory);
    m_store_opened = true;
  }
  if (!m_store) {
    throw core::IntegrityError(
        m_label + ": " + path + " is kept in a backup repository, but "
            + (m_path.parent_path() / k_store_directory).string() + " does not exist",
        {"keep the backup in its repository directory (beside postal-backup-data/), or use a "
         "self-contained archive made by `postal-backup export`"});
  }
  auto fd = m_store->open(reference, m_label + ": " + path);
  auto source = std::make_unique<core::io::FdSource>(fd.get(), fd.label());
  m_stored.emplace(StoredMember{std::move(fd), std::move(source), reference.size});
  m_current->path = path;
  m_current->size = static_cast<std::int64_t>(reference.size);
}

std::size_t ArchiveScanner::read_current(std::span<std::byte> buffer) {
  if (!m_stored) {
    return m_reader->read(buffer);
  }
  if (m_stored->left == 0 || buffer.empty()) {
    return 0;
  }
  const auto wanted =
      static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), m_stored->left));
  const auto n = m_stored->source->read(buffer.first(wanted));
  if (n == 0) {
    throw core::IntegrityError(m_label + ": the stored copy of " + m_current->path
                                   + " ended early (" + m_stored->fd.label() + ")",
                               {"the repository's copy is damaged: use another backup"});
  }
  m_stored->left -= n;
  return n;
}

std::string ArchiveScanner::read_text() {
  if (static_cast<std::uint64_t>(m_current->size) > archive::k_max_json_bytes) {
    throw core::IntegrityError(m_label + ": member " + m_current->path + " is "
                                   + std::to_string(m_current->size) + " bytes, more than the "
                                   + std::to_string(archive::k_max_json_bytes >> 20)
                                   + " MiB a postal-backup JSON member may hold",
                               {"the archive is damaged or was not written by postal-backup"});
  }
  return core::io::read_up_to(m_member_data, static_cast<std::size_t>(m_current->size));
}

void ArchiveScanner::skip_member() {
  if (m_stored) {
    return;
  }
  core::io::NullSink discard;
  copy_to(discard);
}

void ArchiveScanner::copy_to(core::io::ByteSink& sink) {
  std::vector<std::byte> buffer(k_copy_buffer);
  while (const auto n = read_current(buffer)) {
    core::throw_if_interrupted();
    sink.write(std::span<const std::byte>(buffer.data(), n));
  }
}

std::size_t ArchiveScanner::MemberData::read(std::span<std::byte> buffer) {
  core::throw_if_interrupted();
  return m_scanner.read_current(buffer);
}

} // namespace pbk::archive
