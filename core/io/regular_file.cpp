// SPDX-License-Identifier: MIT
#include "core/io/regular_file.hpp"

#include "core/error.hpp"
#include "core/io/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace pbk::core::io {
namespace {

// open() of a FIFO without O_NONBLOCK waits for a writer; with it, open returns at once and
// fstat tells what the path is.
constexpr int k_open_flags = O_RDONLY | O_NOCTTY | O_NONBLOCK;

// An empty Fd: the path is a symbolic link that `symlinks` refuses to follow.
Fd open_without_waiting(const std::filesystem::path& path, Symlinks symlinks) {
  const int flags = k_open_flags | (symlinks == Symlinks::refuse ? O_NOFOLLOW : 0);
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP && symlinks == Symlinks::refuse) {
      return {};
    }
    throw IoError(describe_errno("cannot open " + path.string(), err), err);
  }
  return Fd(fd, path.string());
}

// The open descriptor's, not the path's: a file swapped after open() is never misdescribed.
struct stat stat_open_file(const Fd& file, const std::filesystem::path& path) {
  struct stat st {};

  if (::fstat(file.get(), &st) != 0) {
    const int err = errno;
    throw IoError(describe_errno("cannot stat " + path.string(), err), err);
  }
  return st;
}

[[noreturn]] void throw_too_big(const std::filesystem::path& path) {
  throw IoError(describe_errno("cannot read " + path.string(), EFBIG), EFBIG);
}

// Reads to the end rather than st_size bytes: the file may grow or shrink while it is read,
// and `limit` holds whatever it does.
void read_to_end(const Fd& file,
                 const std::filesystem::path& path,
                 std::uint64_t limit,
                 std::string& content) {
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    const ssize_t n = ::read(file.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      throw IoError(describe_errno("cannot read " + path.string(), err), err);
    }
    if (n == 0) {
      return;
    }
    if (content.size() + static_cast<std::size_t>(n) > limit) {
      throw_too_big(path); // it grew
    }
    content.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

} // namespace

std::optional<RegularFile>
read_regular_file(const std::filesystem::path& path, Symlinks symlinks, std::uint64_t limit) {
  Fd file = open_without_waiting(path, symlinks);
  if (!file.valid()) {
    return std::nullopt;
  }
  const struct stat st = stat_open_file(file, path);
  if (!S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    throw_too_big(path);
  }
  RegularFile result;
  result.mode = static_cast<std::uint32_t>(st.st_mode & 0777);
  result.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec);
  read_to_end(file, path, limit, result.content);
  file.close();
  return result;
}

} // namespace pbk::core::io
