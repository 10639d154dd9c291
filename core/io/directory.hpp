// SPDX-License-Identifier: MIT
// One open directory, and every operation on a name inside it relative to that descriptor:
// a directory that others may write to (a backup repository) can have a name swapped for a
// symbolic link at any moment, so names are opened with O_NOFOLLOW, checked on the open
// descriptor, and renamed or removed relative to the directory actually opened.
#pragma once

#include "core/io/fd.hpp"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pbk::core::io {

struct DirectoryEntry {
  std::string name;
  std::uint64_t size = 0;
  bool regular = false; // a regular file (not followed if a link)
};

class Directory {
public:
  // Throws IoError naming the path; ENOENT included. `path` itself must not be a symbolic link.
  [[nodiscard]] static Directory open(const std::filesystem::path& path);
  // nullopt when the path does not exist.
  [[nodiscard]] static std::optional<Directory> open_existing(const std::filesystem::path& path);
  // Creates the directory (one level, mode 0700) when missing, then opens it.
  [[nodiscard]] static Directory open_or_create(const std::filesystem::path& path);

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  // A regular file, read-only, never through a link; nullopt when the name does not exist.
  // Throws IoError when it is anything but a regular file.
  [[nodiscard]] std::optional<Fd> open_regular(const std::string& name) const;
  // A new file (O_EXCL, never through a link) with `mode`, opened for writing.
  [[nodiscard]] Fd create_new(const std::string& name, mode_t mode) const;
  // A file opened for reading and writing, created when missing (for locks).
  [[nodiscard]] Fd open_or_create_file(const std::string& name, mode_t mode) const;
  void rename(const std::string& from, const std::string& to) const;
  // false when the name was already gone.
  bool remove(const std::string& name) const;
  // Every entry but . and .., not following links.
  [[nodiscard]] std::vector<DirectoryEntry> list() const;
  // Makes renames and removals inside it durable.
  void sync() const;

private:
  Directory(Fd fd, std::filesystem::path path)
      : m_fd(std::move(fd)),
        m_path(std::move(path)) {}

  [[nodiscard]] std::string label(const std::string& name) const;

  Fd m_fd;
  std::filesystem::path m_path;
};

// The size of the open file (fstat).
[[nodiscard]] std::uint64_t size_of(const Fd& fd);

// Writes all of `data` to `fd` and fsyncs it; throws IoError naming the fd's label.
void write_all_and_sync(const Fd& fd, const void* data, std::size_t size);

} // namespace pbk::core::io
