// SPDX-License-Identifier: MIT
// The bytes an unprivileged user may still write on the file system holding a path
// (statvfs's f_bavail: the blocks reserved for root do not count).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace pbk::core::io {

struct FreeSpace {
  std::optional<std::uint64_t> bytes; // absent when the path could not be examined
  std::string error;                  // why not ("cannot examine DIR: No such file…")
};

[[nodiscard]] FreeSpace free_space(const std::filesystem::path& path);

} // namespace pbk::core::io
