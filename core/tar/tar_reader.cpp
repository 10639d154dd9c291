// SPDX-License-Identifier: MIT
// libarchive's tar reader treats an archive that stops at a member boundary as complete (some
// writers omit the end blocks). Ours always writes them, so next() checks that the two zero
// blocks were consumed; otherwise a backup cut between members would pass as valid.
#include "core/tar/tar_reader.hpp"

#include "core/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace pbk::core::tar {

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
      m_buffer(std::make_unique_for_overwrite<std::byte[]>(k_buffer_size)),
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
  // A sparse member's header states a size its data never holds: libarchive returns the
  // holes as zeros, so a few blocks would stand for gigabytes. TarWriter writes none.
  if (archive_entry_sparse_count(entry) > 0) {
    throw IntegrityError(m_label + ": member " + member.path + " is a sparse file");
  }
  if (member.size < 0 || !archive_entry_size_is_set(entry)) {
    throw IntegrityError(m_label + ": member " + member.path + " has no valid size");
  }
  m_in_member = true;
  m_member = member;
  m_block_left = 0;
  m_data_offset = 0;
  const std::int64_t padded = (member.size + k_block - 1) / k_block * k_block;
  m_member_end = archive_filter_bytes(a, 0) + padded;
  return member;
}

// Blocks, not archive_read_data: that one fills a sparse member's holes with zeros, and GNU
// sparse 1.0 (pax) entries only show their map once their data is read. A block that does
// not start where the previous one ended, or data that ends before the stated size, is a hole.
std::size_t TarReader::read(std::span<std::byte> buffer) {
  if (!m_in_member || buffer.empty()) {
    return 0;
  }
  while (m_block_left == 0) {
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int result = archive_read_data_block(m_archive.get(), &block, &size, &offset);
    if (result == ARCHIVE_EOF) {
      if (m_data_offset != m_member.size) {
        throw IntegrityError(m_label + ": member " + m_member.path + " is a sparse file");
      }
      return 0;
    }
    if (result != ARCHIVE_OK) {
      fail("cannot read member data");
    }
    if (offset != m_data_offset) {
      throw IntegrityError(m_label + ": member " + m_member.path + " is a sparse file");
    }
    m_block = static_cast<const std::byte*>(block);
    m_block_left = size;
  }
  const std::size_t n = std::min(buffer.size(), m_block_left);
  std::memcpy(buffer.data(), m_block, n);
  m_block += n;
  m_block_left -= n;
  m_data_offset += static_cast<std::int64_t>(n);
  return n;
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

} // namespace pbk::core::tar
