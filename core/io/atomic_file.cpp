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

Fd open_directory_of(const std::filesystem::path& final_path,
                     const std::filesystem::path& partial) {
  std::filesystem::path dir = final_path.parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  int fd = -1;
  do {
    fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    throw IoError(describe_errno("cannot open " + partial.string(), err), err);
  }
  return Fd(fd, dir.string());
}

int create_new(int dir_fd, const std::string& name, mode_t mode) {
  int fd = -1;
  do {
    fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// A killed run's own leftover: a regular file of this user. Removing the name never touches
// what it points to; only the kind of file decides whether it is ours to remove.
bool is_own_leftover(int dir_fd, const std::string& name) {
  struct stat st {};

  return ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)
         && st.st_uid == ::geteuid();
}

Fd create_partial(int dir_fd,
                  const std::string& name,
                  const std::filesystem::path& partial,
                  mode_t mode,
                  Overwrite overwrite) {
  int fd = create_new(dir_fd, name, mode);
  if (fd < 0 && errno == EEXIST && overwrite == Overwrite::replace && is_own_leftover(dir_fd, name)
      && ::unlinkat(dir_fd, name.c_str(), 0) == 0) {
    fd = create_new(dir_fd, name, mode);
  }
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST && overwrite == Overwrite::replace) {
      throw IoError(partial.string()
                        + " exists and is not a file of this user (a link?); not "
                          "writing through it",
                    err,
                    {"remove " + partial.string() + " and check who can write to its directory"});
    }
    throw IoError(describe_errno("cannot open " + partial.string(), err), err);
  }
  Fd owner(fd, partial.string());
  // open() applies the umask: set the mode explicitly.
  if (::fchmod(fd, mode) != 0) {
    const int err = errno;
    ::unlinkat(dir_fd, name.c_str(), 0); // rollback of the file just created
    throw IoError(describe_errno("cannot set the mode of " + partial.string(), err), err);
  }
  return owner;
}

// Some file systems (vfat, some network mounts) have no hard links; there the best left is a
// rename after checking the name is free.
bool rename_where_links_are_unsupported(int link_error,
                                        int dir_fd,
                                        const std::string& from,
                                        const std::string& to) {
  if (link_error != EPERM && link_error != EOPNOTSUPP && link_error != ENOSYS) {
    errno = link_error;
    return false;
  }

  struct stat st {};

  if (::fstatat(dir_fd, to.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT) {
    errno = EEXIST;
    return false;
  }
  return ::renameat(dir_fd, from.c_str(), dir_fd, to.c_str()) == 0;
}

// Makes the .partial appear under its final name; false with errno set on failure.
bool publish(int dir_fd,
             const std::string& partial,
             const std::string& final_name,
             Overwrite overwrite) {
  if (overwrite == Overwrite::replace) {
    return ::renameat(dir_fd, partial.c_str(), dir_fd, final_name.c_str()) == 0;
  }
  // link() + unlink() instead of rename(): a file that appeared under the final name in the
  // meantime is never replaced.
  return ::linkat(dir_fd, partial.c_str(), dir_fd, final_name.c_str(), 0) == 0
         || rename_where_links_are_unsupported(errno, dir_fd, partial, final_name);
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
      m_final_name(m_final.filename().string()),
      m_partial_name(m_partial.filename().string()),
      m_dir(open_directory_of(m_final, m_partial)),
      m_fd(create_partial(m_dir.get(), m_partial_name, m_partial, mode, overwrite)),
      m_sink(m_fd.get(), m_partial.string()),
      m_overwrite(overwrite) {}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    // Rollback: the .partial is worthless, and there is nobody to report a failure to.
    m_fd = Fd();
    ::unlinkat(m_dir.get(), m_partial_name.c_str(), 0);
  }
}

void AtomicFile::commit() {
  m_sink.finish();
  fsync_or_throw(m_fd.get(), m_partial.string());
  m_fd.close();
  if (!publish(m_dir.get(), m_partial_name, m_final_name, m_overwrite)) {
    const int err = errno;
    throw IoError(
        describe_errno("cannot rename " + m_partial.string() + " to " + m_final.string(), err),
        err);
  }
  m_committed = true;
  if (m_overwrite == Overwrite::exclusive) {
    // Complete under its final name already; a failure is harmless.
    ::unlinkat(m_dir.get(), m_partial_name.c_str(), 0);
  }
  // Without this fsync the rename itself may be lost in a crash (pgBackRest does the same).
  try {
    fsync_or_throw(m_dir.get(), m_dir.label());
  } catch (const IoError& e) {
    // The file is complete under its name; only its survival of a power cut is in doubt.
    throw IoError(m_final.string() + " is complete, but " + e.what(),
                  e.err(),
                  {"check the file system's health; after a crash, verify this file"});
  }
}

} // namespace pbk::core::io
