// SPDX-License-Identifier: MIT
#include "repository/store_collection.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/io/directory.hpp"
#include "core/io/fd_source.hpp"
#include "core/io/read_up_to.hpp"
#include "core/tar/tar_reader.hpp"

#include <string_view>

namespace pbk::repository {
namespace {

// A killed create's temporary copy of a member: `<sha256>.partial-<pid>-<n>`.
bool is_leftover(std::string_view name) {
  const auto dot = name.find(".partial-");
  return dot == 64 && archive::is_stored_member_name(name.substr(0, 64));
}

void add_references_of(const std::filesystem::path& path,
                       const core::io::Fd& fd,
                       std::set<std::string>& referenced) {
  core::io::FdSource source(fd.get(), path.string());
  core::tar::TarReader reader(source, path.string());
  std::size_t references = 0;
  while (const auto member = reader.next()) {
    core::throw_if_interrupted();
    if (!archive::is_reference_path(member->path)) {
      continue;
    }
    if (static_cast<std::uint64_t>(member->size) > archive::k_max_reference_bytes
        || ++references > archive::k_max_references) {
      throw core::IntegrityError(path.string() + ": " + member->path
                                 + " is not a reference entry of a backup (too long, or too many)");
    }
    const auto text = core::io::read_up_to(reader, static_cast<std::size_t>(member->size));
    referenced.insert(archive::parse_reference(text, path.string() + ": " + member->path).sha256);
  }
}

} // namespace

std::optional<std::set<std::string>> referenced_members(const std::filesystem::path& directory,
                                                        const std::set<std::string>& ignored,
                                                        std::string& unreadable) {
  std::set<std::string> referenced;
  const auto listing = core::io::Directory::open(directory);
  for (const auto& entry : listing.list()) {
    if (!entry.regular || !entry.name.ends_with(".tar") || ignored.contains(entry.name)) {
      continue;
    }
    try {
      const auto fd = listing.open_regular(entry.name);
      if (fd) {
        add_references_of(directory / entry.name, *fd, referenced);
      }
    } catch (const core::Error& e) {
      if (e.code() == core::ExitCode::interrupted) {
        throw;
      }
      unreadable = entry.name + " (" + e.what() + ")";
      return std::nullopt;
    }
  }
  return referenced;
}

StoreCollection collect_store(const archive::MemberStore& store,
                              const std::filesystem::path& directory,
                              const std::set<std::string>& ignored,
                              bool dry_run) {
  StoreCollection collection;
  const auto entries = store.directory().list();
  for (const auto& entry : entries) {
    if (entry.regular && archive::is_stored_member_name(entry.name)) {
      ++collection.members;
      collection.bytes += entry.size;
    }
  }
  std::string unreadable;
  const auto referenced = referenced_members(directory, ignored, unreadable);
  if (!referenced) {
    collection.held = "cannot read " + unreadable + "; it may refer to any stored member";
    return collection;
  }
  bool removed = false;
  for (const auto& entry : entries) {
    if (!entry.regular) {
      continue;
    }
    const bool orphan =
        archive::is_stored_member_name(entry.name) && !referenced->contains(entry.name);
    const bool leftover = is_leftover(entry.name);
    if (!orphan && !leftover) {
      continue;
    }
    core::throw_if_interrupted();
    if (orphan) {
      ++collection.freed_members;
      collection.freed_bytes += entry.size;
    } else {
      ++collection.leftovers;
    }
    if (!dry_run) {
      removed = store.directory().remove(entry.name) || removed;
    }
  }
  if (removed) {
    store.directory().sync();
  }
  return collection;
}

} // namespace pbk::repository
