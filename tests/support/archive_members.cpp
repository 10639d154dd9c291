// SPDX-License-Identifier: MIT
#include "tests/support/archive_members.hpp"

#include "core/io/fd.hpp"
#include "core/io/fd_sink.hpp"
#include "core/io/fd_source.hpp"
#include "core/tar/tar_reader.hpp"
#include "core/tar/tar_writer.hpp"

#include <fcntl.h>

#include <span>
#include <stdexcept>

namespace pbk::test {

ArchiveMembers read_archive_members(const std::filesystem::path& archive) {
  auto fd = core::io::open_file(archive, O_RDONLY);
  core::io::FdSource source(fd.get(), archive.string());
  core::tar::TarReader reader(source, archive.string());
  ArchiveMembers members;
  while (const auto member = reader.next()) {
    std::string data(static_cast<std::size_t>(member->size), '\0');
    std::size_t filled = 0;
    while (filled < data.size()) {
      const auto n = reader.read(
          std::as_writable_bytes(std::span(data.data() + filled, data.size() - filled)));
      if (n == 0) {
        throw std::runtime_error(archive.string() + ": member " + member->path + " ends early");
      }
      filled += n;
    }
    members.emplace_back(member->path, std::move(data));
  }
  return members;
}

void write_archive_members(const std::filesystem::path& archive, const ArchiveMembers& members) {
  auto fd = core::io::open_file(archive, O_WRONLY | O_CREAT | O_TRUNC);
  core::io::FdSink sink(fd.get(), archive.string());
  core::tar::TarWriter writer(sink);
  for (const auto& [path, data] : members) {
    writer.add_member(path, std::as_bytes(std::span(data.data(), data.size())), 0);
  }
  writer.close();
  sink.finish();
}

} // namespace pbk::test
