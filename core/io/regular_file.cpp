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

} // namespace

std::optional<RegularFile>
read_regular_file(const std::filesystem::path& path, Symlinks symlinks, std::uint64_t limit) {
  const int flags = k_open_flags | (symlinks == Symlinks::refuse ? O_NOFOLLOW : 0);
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP && symlinks == Symlinks::refuse) {
      return std::nullopt;
    }
    throw IoError(describe_errno("cannot open " + path.string(), err), err);
  }
  Fd owner(fd, path.string());

  struct stat st {};

  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    throw IoError(describe_errno("cannot stat " + path.string(), err), err);
  }
  if (!S_ISREG(st.st_mode)) {
    return std::nullopt;
  }
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    throw IoError(describe_errno("cannot read " + path.string(), EFBIG), EFBIG);
  }
  RegularFile file;
  file.mode = static_cast<std::uint32_t>(st.st_mode & 0777);
  file.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec);
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      throw IoError(describe_errno("cannot read " + path.string(), err), err);
    }
    if (n == 0) {
      break;
    }
    if (file.content.size() + static_cast<std::size_t>(n) > limit) {
      throw IoError(describe_errno("cannot read " + path.string(), EFBIG), EFBIG); // it grew
    }
    file.content.append(buffer.data(), static_cast<std::size_t>(n));
  }
  owner.close();
  return file;
}

} // namespace pbk::core::io
