// SPDX-License-Identifier: MIT
#include "core/io/atomic_file.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace pbk::core::io {

namespace {

std::filesystem::path partial_of(const std::filesystem::path& final_path) {
  std::filesystem::path partial = final_path;
  partial += ".partial";
  return partial;
}

Fd create_partial(const std::filesystem::path& partial, mode_t mode, Overwrite overwrite) {
  const int flags = overwrite == Overwrite::exclusive ? O_EXCL : O_TRUNC;
  Fd fd = open_file(partial, O_WRONLY | O_CREAT | flags, mode);
  // open() applies the umask, and O_TRUNC keeps the mode of an old file: set it explicitly.
  if (::fchmod(fd.get(), mode) != 0) {
    const int err = errno;
    ::unlink(partial.c_str()); // rollback of the file we just created; its error changes nothing
    throw IoError(describe_errno("cannot set the mode of " + partial.string(), err), err);
  }
  return fd;
}

// Some file systems (vfat, some network mounts) have no hard links; there the best left is a
// rename after checking the name is free.
bool rename_where_links_are_unsupported(int link_error,
                                        const std::filesystem::path& from,
                                        const std::filesystem::path& to) {
  if (link_error != EPERM && link_error != EOPNOTSUPP && link_error != ENOSYS) {
    errno = link_error;
    return false;
  }
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    errno = EEXIST;
    return false;
  }
  return ::rename(from.c_str(), to.c_str()) == 0;
}

// Makes the .partial appear under its final name; false with errno set on failure.
bool publish(const std::filesystem::path& partial,
             const std::filesystem::path& final_path,
             Overwrite overwrite) {
  if (overwrite == Overwrite::replace) {
    return ::rename(partial.c_str(), final_path.c_str()) == 0;
  }
  // link() + unlink() instead of rename(): a file that appeared under the final name in the
  // meantime is never replaced.
  return ::link(partial.c_str(), final_path.c_str()) == 0
         || rename_where_links_are_unsupported(errno, partial, final_path);
}

void fsync_or_throw(int fd, const std::string& what) {
  if (::fsync(fd) != 0) {
    const int err = errno;
    throw IoError(describe_errno("cannot fsync " + what, err), err);
  }
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path, mode_t mode, Overwrite overwrite)
    : m_final(std::move(final_path)),
      m_partial(partial_of(m_final)),
      m_fd(create_partial(m_partial, mode, overwrite)),
      m_sink(m_fd.get(), m_partial.string()),
      m_overwrite(overwrite) {}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    // Rollback: the .partial is worthless, and there is nobody to report a failure to.
    m_fd = Fd();
    ::unlink(m_partial.c_str());
  }
}

void AtomicFile::commit() {
  m_sink.finish();
  fsync_or_throw(m_fd.get(), m_partial.string());
  m_fd.close();
  if (!publish(m_partial, m_final, m_overwrite)) {
    const int err = errno;
    throw IoError(
        describe_errno("cannot rename " + m_partial.string() + " to " + m_final.string(), err),
        err);
  }
  m_committed = true;
  if (m_overwrite == Overwrite::exclusive) {
    ::unlink(m_partial.c_str()); // complete under its final name already; a failure is harmless
  }
  // Without this fsync the rename itself may be lost in a crash (pgBackRest does the same).
  std::filesystem::path dir = m_final.parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  try {
    Fd dir_fd = open_file(dir, O_RDONLY | O_DIRECTORY);
    fsync_or_throw(dir_fd.get(), dir.string());
    dir_fd.close();
  } catch (const IoError& e) {
    // The file is complete under its name; only its survival of a power cut is in doubt.
    throw IoError(m_final.string() + " is complete, but " + e.what(),
                  e.err(),
                  {"check the file system's health; after a crash, verify this file"});
  }
}

} // namespace pbk::core::io
