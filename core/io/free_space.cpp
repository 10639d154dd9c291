// SPDX-License-Identifier: MIT
#include "core/io/free_space.hpp"

#include "core/error.hpp"

#include <sys/statvfs.h>

#include <cerrno>

namespace pbk::core::io {

FreeSpace free_space(const std::filesystem::path& path) {
  struct statvfs fs {};

  if (::statvfs(path.c_str(), &fs) != 0) {
    return {std::nullopt, describe_errno("cannot examine " + path.string(), errno)};
  }
  return {static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize, {}};
}

} // namespace pbk::core::io
