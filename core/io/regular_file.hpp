// SPDX-License-Identifier: MIT
// Reads one small regular file whole, with the mode and mtime of the very file read (fstat
// on the open descriptor, so a file swapped between a check and the read is never
// misdescribed). Anything that is not a regular file is reported as such, never read: a FIFO
// would block, a device would never end.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace pbk::core::io {

struct RegularFile {
  std::string content;
  std::uint32_t mode = 0; // permission bits only (st_mode & 0777)
  std::int64_t mtime = 0; // Unix seconds
};

enum class Symlinks { follow, refuse };

// nullopt: the path is not a regular file (a directory, FIFO, socket, device, or a symbolic
// link when `symlinks` is refuse). Throws IoError naming the path when it cannot be opened or
// read (ENOENT included), or when it holds more than `limit` bytes (EFBIG).
[[nodiscard]] std::optional<RegularFile>
read_regular_file(const std::filesystem::path& path, Symlinks symlinks, std::uint64_t limit);

} // namespace pbk::core::io
