// SPDX-License-Identifier: MIT
#include "core/io/directory.hpp"

#include "core/error.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace pbk::core::io {
namespace {

[[noreturn]] void fail(const std::string& what, int err) {
  throw IoError(describe_errno(what, err), err);
}

int open_directory(const std::filesystem::path& path) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

int open_at(int dir, const std::string& name, int flags, mode_t mode) {
  int fd = -1;
  do {
    fd = ::openat(dir, name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

} // namespace

Directory Directory::open(const std::filesystem::path& path) {
  const int fd = open_directory(path);
  if (fd < 0) {
    fail("cannot open directory " + path.string(), errno);
  }
  return Directory(Fd(fd, path.string()), path);
}

std::optional<Directory> Directory::open_existing(const std::filesystem::path& path) {
  const int fd = open_directory(path);
  if (fd < 0 && errno == ENOENT) {
    return std::nullopt;
  }
  if (fd < 0) {
    fail("cannot open directory " + path.string(), errno);
  }
  return Directory(Fd(fd, path.string()), path);
}

Directory Directory::open_or_create(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    fail("cannot create directory " + path.string(), errno);
  }
  return open(path);
}

std::string Directory::label(const std::string& name) const {
  return (m_path / name).string();
}

std::optional<Fd> Directory::open_regular(const std::string& name) const {
  const int fd = open_at(m_fd.get(), name, O_RDONLY | O_NONBLOCK, 0);
  if (fd < 0 && errno == ENOENT) {
    return std::nullopt;
  }
  if (fd < 0) {
    fail("cannot open " + label(name), errno);
  }
  Fd owner(fd, label(name));

  struct stat st {};

  if (::fstat(fd, &st) != 0) {
    fail("cannot read " + label(name), errno);
  }
  if (!S_ISREG(st.st_mode)) {
    throw IoError(label(name) + " is not a regular file", EINVAL);
  }
  return owner;
}

Fd Directory::create_new(const std::string& name, mode_t mode) const {
  const int fd = open_at(m_fd.get(), name, O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) {
    fail("cannot create " + label(name), errno);
  }
  Fd owner(fd, label(name));
  if (::fchmod(fd, mode) != 0) { // open() applied the umask
    fail("cannot set the mode of " + label(name), errno);
  }
  return owner;
}

Fd Directory::open_or_create_file(const std::string& name, mode_t mode) const {
  int fd = open_at(m_fd.get(), name, O_RDWR | O_CREAT, mode);
  if (fd < 0 && (errno == EACCES || errno == EROFS)) {
    fd = open_at(m_fd.get(), name, O_RDONLY, 0);
  }
  if (fd < 0) {
    fail("cannot open " + label(name), errno);
  }
  return Fd(fd, label(name));
}

void Directory::rename(const std::string& from, const std::string& to) const {
  if (::renameat(m_fd.get(), from.c_str(), m_fd.get(), to.c_str()) != 0) {
    fail("cannot rename " + label(from) + " to " + to, errno);
  }
}

bool Directory::remove(const std::string& name) const {
  if (::unlinkat(m_fd.get(), name.c_str(), 0) == 0) {
    return true;
  }
  if (errno == ENOENT) {
    return false;
  }
  fail("cannot remove " + label(name), errno);
}

std::vector<DirectoryEntry> Directory::list() const {
  const int fd = open_at(m_fd.get(), ".", O_RDONLY | O_DIRECTORY, 0);
  if (fd < 0) {
    fail("cannot read directory " + m_path.string(), errno);
  }
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(fd), &::closedir);
  if (!dir) {
    const int err = errno;
    ::close(fd);
    fail("cannot read directory " + m_path.string(), err);
  }
  std::vector<DirectoryEntry> entries;
  errno = 0;
  while (const dirent* d = ::readdir(dir.get())) {
    const std::string name = d->d_name;
    if (name == "." || name == "..") {
      continue;
    }

    struct stat st {};

    if (::fstatat(m_fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      continue; // removed meanwhile
    }
    entries.push_back({name, static_cast<std::uint64_t>(st.st_size), S_ISREG(st.st_mode)});
  }
  return entries;
}

void Directory::sync() const {
  if (::fsync(m_fd.get()) != 0) {
    fail("cannot sync directory " + m_path.string(), errno);
  }
}

std::uint64_t size_of(const Fd& fd) {
  struct stat st {};

  if (::fstat(fd.get(), &st) != 0) {
    fail("cannot read " + fd.label(), errno);
  }
  return static_cast<std::uint64_t>(st.st_size);
}

void write_all_and_sync(const Fd& fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd.get(), bytes, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      fail("cannot write " + fd.label(), n < 0 ? errno : EIO);
    }
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    fail("cannot sync " + fd.label(), errno);
  }
}

} // namespace pbk::core::io
