// SPDX-License-Identifier: MIT
// libarchive is C: the write callback must not let an exception cross it. It keeps what the
// sink threw and reports failure; fail() then rethrows the original error (e.g. IoError with
// ENOSPC naming the file), which says more than libarchive's generic text would.
#include "core/tar/tar_writer.hpp"

#include "core/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <utility>

namespace pbk::core::tar {

struct TarWriter::Callbacks {
  static la_ssize_t write(::archive* a, void* client, const void* buffer, std::size_t length) {
    auto* self = static_cast<TarWriter*>(client);
    try {
      self->m_out.write(std::span(static_cast<const std::byte*>(buffer), length));
      return static_cast<la_ssize_t>(length);
    } catch (...) {
      self->m_sink_error = std::current_exception();
      archive_set_error(a, EIO, "the output stage failed");
      return -1;
    }
  }
};

namespace {

using Entry = UniqueHandle<archive_entry, archive_entry_free>;

} // namespace

void TarWriter::free_archive(::archive* a) noexcept {
  archive_write_free(a);
}

TarWriter::TarWriter(io::ByteSink& out)
    : m_out(out),
      m_archive(archive_write_new()) {
  if (!m_archive) {
    throw Error(ExitCode::runtime, "cannot create a tar writer: out of memory");
  }
  ::archive* a = m_archive.get();
  // One trailing record of 1 byte means no padding beyond the two end-of-archive blocks.
  if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK
      || archive_write_add_filter_none(a) != ARCHIVE_OK
      || archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK
      || archive_write_open2(a, this, nullptr, &Callbacks::write, nullptr, nullptr) != ARCHIVE_OK) {
    fail("cannot start the tar archive");
  }
}

TarWriter::~TarWriter() {
  if (!m_closed && m_archive) {
    // Without this, archive_write_free() would close the archive and write a valid trailer.
    // Known cost: libarchive before PR #2729 (issue #1568) then leaks its ~10 KiB output
    // buffer, once per abandoned archive; a trailer on a broken archive would be far worse.
    archive_write_fail(m_archive.get());
  }
}

void TarWriter::add_member(std::string_view path,
                           std::span<const std::byte> data,
                           std::int64_t mtime) {
  const std::string name(path);
  if (m_closed) {
    throw Error(ExitCode::runtime, "cannot add member " + name + ": the tar archive is closed");
  }
  Entry entry(archive_entry_new());
  if (!entry) {
    throw Error(ExitCode::runtime, "cannot add member " + name + ": out of memory");
  }
  archive_entry_set_pathname_utf8(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
  ::archive* a = m_archive.get();
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK) {
    fail("cannot add member " + name);
  }
  while (!data.empty()) {
    const la_ssize_t n = archive_write_data(a, data.data(), data.size());
    if (n <= 0) {
      fail("cannot write member " + name);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
  if (archive_write_finish_entry(a) != ARCHIVE_OK) {
    fail("cannot finish member " + name);
  }
}

void TarWriter::close() {
  if (m_closed) {
    return;
  }
  // The close result must be read here: after archive_write_free() the error is gone.
  if (archive_write_close(m_archive.get()) != ARCHIVE_OK) {
    fail("cannot end the tar archive");
  }
  m_closed = true;
}

void TarWriter::fail(const std::string& what) {
  if (m_sink_error) {
    std::rethrow_exception(std::exchange(m_sink_error, nullptr));
  }
  const char* reason = archive_error_string(m_archive.get());
  throw Error(ExitCode::runtime, what + ": " + (reason != nullptr ? reason : "unknown error"));
}

} // namespace pbk::core::tar
