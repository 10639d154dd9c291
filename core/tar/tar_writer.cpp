// SPDX-License-Identifier: MIT
// libarchive is C: the write callback must not let an exception cross it. It keeps what the
// sink threw and reports failure; fail() then rethrows the original error (e.g. IoError with
// ENOSPC naming the file), which says more than libarchive's generic text would.
#include "core/tar/tar_writer.hpp"

#include "core/error.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <string>
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

// Streamed members pass through in pieces of this size.
constexpr std::size_t k_copy_buffer = std::size_t{1} << 20;

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
  write_header(name, data.size(), mtime);
  write_data(name, data);
  finish_member(name);
}

void TarWriter::add_member(std::string_view path,
                           std::uint64_t size,
                           std::int64_t mtime,
                           io::ByteSource& data) {
  const std::string name(path);
  write_header(name, size, mtime);
  if (!m_copy_buffer) {
    m_copy_buffer = std::make_unique_for_overwrite<std::byte[]>(k_copy_buffer);
  }
  std::uint64_t left = size;
  while (left > 0) {
    const auto n =
        data.read(std::span(m_copy_buffer.get(), std::min<std::uint64_t>(left, k_copy_buffer)));
    if (n == 0) {
      throw IntegrityError("member " + name + " ended after " + std::to_string(size - left)
                           + " of the " + std::to_string(size) + " bytes its header gives");
    }
    write_data(name, std::span<const std::byte>(m_copy_buffer.get(), n));
    left -= n;
  }
  // One more read: the end of the source, which also finalizes a digest taken on the way.
  if (data.read(std::span(m_copy_buffer.get(), 1)) != 0) {
    throw IntegrityError("member " + name + " holds more than the " + std::to_string(size)
                         + " bytes its header gives");
  }
  finish_member(name);
}

void TarWriter::write_header(const std::string& name, std::uint64_t size, std::int64_t mtime) {
  if (m_broken && m_failure) {
    std::rethrow_exception(m_failure);
  }
  if (m_closed || m_broken) {
    throw Error(ExitCode::runtime,
                "cannot add member " + name + ": the tar archive is "
                    + (m_closed ? "closed" : "broken by a failed member"));
  }
  if (size > static_cast<std::uint64_t>(std::numeric_limits<la_int64_t>::max())) {
    throw Error(ExitCode::runtime, "cannot add member " + name + ": too large for tar");
  }
  Entry entry(archive_entry_new());
  if (!entry) {
    throw Error(ExitCode::runtime, "cannot add member " + name + ": out of memory");
  }
  archive_entry_set_pathname_utf8(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
  if (archive_write_header(m_archive.get(), entry.get()) != ARCHIVE_OK) {
    fail("cannot add member " + name);
  }
  // The archive now holds a header promising `size` bytes: until they are all written, a
  // failure leaves it broken, and a later member or close() would hide that behind a
  // valid-looking trailer.
  m_broken = true;
}

void TarWriter::write_data(const std::string& name, std::span<const std::byte> data) {
  while (!data.empty()) {
    const la_ssize_t n = archive_write_data(m_archive.get(), data.data(), data.size());
    if (n <= 0) {
      fail("cannot write member " + name);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
}

void TarWriter::finish_member(const std::string& name) {
  if (archive_write_finish_entry(m_archive.get()) != ARCHIVE_OK) {
    fail("cannot finish member " + name);
  }
  m_broken = false;
}

void TarWriter::close() {
  if (m_closed) {
    return;
  }
  if (m_broken && m_failure) {
    std::rethrow_exception(m_failure);
  }
  if (m_broken) {
    throw Error(ExitCode::runtime, "cannot end the tar archive: a member failed");
  }
  // The close result must be read here: after archive_write_free() the error is gone.
  if (archive_write_close(m_archive.get()) != ARCHIVE_OK) {
    fail("cannot end the tar archive");
  }
  m_closed = true;
}

void TarWriter::fail(const std::string& what) {
  if (m_sink_error) {
    m_failure = std::exchange(m_sink_error, nullptr);
  } else {
    const char* reason = archive_error_string(m_archive.get());
    m_failure = std::make_exception_ptr(
        Error(ExitCode::runtime, what + ": " + (reason != nullptr ? reason : "unknown error")));
  }
  std::rethrow_exception(m_failure);
}

} // namespace pbk::core::tar
