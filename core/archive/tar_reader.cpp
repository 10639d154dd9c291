// SPDX-License-Identifier: MIT
// libarchive's tar reader treats an archive that stops at a member boundary as complete (some
// writers omit the end blocks). Ours always writes them, so next() checks that the two zero
// blocks were consumed; otherwise a backup cut between members would pass as valid.
#include "core/archive/tar_reader.hpp"

#include "core/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <string_view>
#include <utility>

namespace pbk::core::archive {

namespace {

constexpr std::int64_t k_block = 512;

bool has_dotdot_component(std::string_view path) {
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    if (path.substr(0, slash) == "..") {
      return true;
    }
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return false;
}

} // namespace

struct TarReader::Callbacks {
  static la_ssize_t read(::archive* a, void* client, const void** buffer) {
    auto* self = static_cast<TarReader*>(client);
    *buffer = self->m_buffer.get();
    try {
      const std::size_t n = self->m_in.read(std::span(self->m_buffer.get(), k_buffer_size));
      self->m_source_ended = n == 0;
      return static_cast<la_ssize_t>(n);
    } catch (...) {
      self->m_source_error = std::current_exception();
      archive_set_error(a, EIO, "the input failed");
      return -1;
    }
  }
};

void TarReader::free_archive(::archive* a) noexcept {
  archive_read_free(a);
}

TarReader::TarReader(io::ByteSource& in, std::string label)
    : m_label(std::move(label)),
      m_in(in, m_label),
      m_buffer(std::make_unique<std::byte[]>(k_buffer_size)),
      m_archive(archive_read_new()) {
  if (!m_archive) {
    throw Error(ExitCode::runtime, m_label + ": cannot create a tar reader: out of memory");
  }
  ::archive* a = m_archive.get();
  if (archive_read_support_format_tar(a) != ARCHIVE_OK
      || archive_read_open(a, this, nullptr, &Callbacks::read, nullptr) != ARCHIVE_OK) {
    fail("cannot open");
  }
  m_opened = true;
}

TarReader::~TarReader() = default;

std::optional<TarMember> TarReader::next() {
  if (m_ended) {
    return std::nullopt;
  }
  ::archive* a = m_archive.get();
  archive_entry* entry = nullptr;
  m_in_member = false;
  const int result = archive_read_next_header(a, &entry);
  if (result == ARCHIVE_EOF) {
    if (archive_filter_bytes(a, 0) - m_member_end < 2 * k_block) {
      throw IntegrityError(m_label + ": archive truncated (the end-of-archive blocks are missing)");
    }
    m_ended = true;
    return std::nullopt;
  }
  if (result != ARCHIVE_OK) {
    fail("cannot read the next member header");
  }
  const char* utf8 = archive_entry_pathname_utf8(entry);
  const char* name = utf8 != nullptr ? utf8 : archive_entry_pathname(entry);
  TarMember member{name != nullptr ? name : "", archive_entry_size(entry)};
  check_member(member.path,
               static_cast<int>(archive_entry_filetype(entry)),
               archive_entry_hardlink(entry) != nullptr);
  m_in_member = true;
  const std::int64_t padded = (member.size + k_block - 1) / k_block * k_block;
  m_member_end = archive_filter_bytes(a, 0) + padded;
  return member;
}

std::size_t TarReader::read(std::span<std::byte> buffer) {
  if (!m_in_member || buffer.empty()) {
    return 0;
  }
  const la_ssize_t n = archive_read_data(m_archive.get(), buffer.data(), buffer.size());
  if (n < 0) {
    fail("cannot read member data");
  }
  return static_cast<std::size_t>(n);
}

void TarReader::check_member(const std::string& path, int filetype, bool hardlink) const {
  if (path.empty()) {
    throw IntegrityError(m_label + ": a member has no name");
  }
  if (filetype != AE_IFREG || hardlink) {
    throw IntegrityError(m_label + ": member " + path + " is not a regular file");
  }
  if (path.front() == '/') {
    throw IntegrityError(m_label + ": member " + path + " has an absolute path");
  }
  if (has_dotdot_component(path)) {
    throw IntegrityError(m_label + ": member " + path + " has a '..' path component");
  }
}

void TarReader::fail(const std::string& what) {
  if (m_source_error) {
    std::rethrow_exception(std::exchange(m_source_error, nullptr));
  }
  const char* text = archive_error_string(m_archive.get());
  const std::string reason = text != nullptr ? text : "unknown error";
  if (!m_opened) { // libarchive found no tar header at the start
    throw IntegrityError(m_label + " is not a tar archive (" + reason + ")");
  }
  if (m_source_ended) {
    throw IntegrityError(m_label + ": archive truncated (" + reason + ")");
  }
  throw IntegrityError(m_label + ": " + what + ": " + reason);
}

} // namespace pbk::core::archive
