// SPDX-License-Identifier: MIT
#include "archive/member_store.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "core/interrupt.hpp"
#include "core/io/fd_source.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <thread>
#include <vector>

namespace pbk::archive {
namespace {

constexpr const char* k_lock_file = "lock";

bool is_hex_digest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string hash_of(const core::io::Fd& fd) {
  core::io::FdSource source(fd.get(), fd.label());
  core::hash::Sha256 hash;
  std::vector<std::byte> buffer(std::size_t{1} << 20);
  while (const auto n = source.read(buffer)) {
    core::throw_if_interrupted();
    hash.update(std::span<const std::byte>(buffer.data(), n));
  }
  return hash.finish_hex();
}

// Unique per writer, so two runs storing the same member never share a temporary file.
std::string partial_name(const std::string& sha256) {
  static std::atomic<unsigned> counter{0};
  return sha256 + ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

} // namespace

bool is_reference_path(std::string_view path) {
  return path.size() > k_reference_suffix.size() && path.ends_with(k_reference_suffix);
}

std::string referenced_path(std::string_view reference_path) {
  return std::string(reference_path.substr(0, reference_path.size() - k_reference_suffix.size()));
}

std::string reference_text(const MemberReference& reference) {
  return reference.sha256 + " " + std::to_string(reference.size) + "\n";
}

MemberReference parse_reference(std::string_view text, const std::string& label) {
  const auto fail = [&]() -> MemberReference {
    throw core::IntegrityError(label + " is not a valid reference to a stored member",
                               {"the backup's directory was altered; verify the other backups "
                                "in it and make a new backup"});
  };
  if (text.size() < 67 || text.size() > k_max_reference_bytes || text.back() != '\n'
      || text[64] != ' ') {
    return fail();
  }
  MemberReference reference;
  reference.sha256 = std::string(text.substr(0, 64));
  const std::string_view digits = text.substr(65, text.size() - 66);
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), reference.size);
  if (!is_hex_digest(reference.sha256) || error != std::errc()
      || end != digits.data() + digits.size() || digits.empty()
      || (digits.size() > 1 && digits.front() == '0')) {
    return fail();
  }
  return reference;
}

bool is_stored_member_name(std::string_view name) {
  return is_hex_digest(name);
}

std::optional<MemberStore> MemberStore::open_existing(const std::filesystem::path& directory) {
  auto store = core::io::Directory::open_existing(directory / k_store_directory);
  if (!store) {
    return std::nullopt;
  }
  return MemberStore(std::move(*store));
}

MemberStore MemberStore::open_or_create(const std::filesystem::path& directory) {
  return MemberStore(core::io::Directory::open_or_create(directory / k_store_directory));
}

bool MemberStore::holds_intact(const MemberReference& reference) const {
  const auto existing = m_directory.open_regular(reference.sha256);
  return existing && core::io::size_of(*existing) == reference.size
         && hash_of(*existing) == reference.sha256;
}

bool MemberStore::put(const MemberReference& reference, std::span<const std::byte> data) const {
  if (holds_intact(reference)) {
    return false;
  }
  const std::string partial = partial_name(reference.sha256);
  {
    auto file = m_directory.create_new(partial, 0600);
    try {
      core::io::write_all_and_sync(file, data.data(), data.size());
      file.close();
    } catch (...) {
      m_directory.remove(partial);
      throw;
    }
  }
  m_directory.rename(partial, reference.sha256);
  return true;
}

core::io::Fd MemberStore::open(const MemberReference& reference, const std::string& member) const {
  auto fd = m_directory.open_regular(reference.sha256);
  const auto where = (m_directory.path() / reference.sha256).string();
  if (!fd) {
    throw core::IntegrityError(member + ": its stored copy " + where + " is missing",
                               {"the repository lost data this backup needs: use another backup, "
                                "and run a full backup (create --full) to store it again"});
  }
  const auto size = core::io::size_of(*fd);
  if (size != reference.size) {
    throw core::IntegrityError(member + ": its stored copy " + where + " is " + std::to_string(size)
                                   + " bytes, not " + std::to_string(reference.size),
                               {"the repository's copy is damaged: use another backup, and run "
                                "a full backup (create --full) to store it again"});
  }
  return std::move(*fd);
}

core::io::FileLock lock_repository(const MemberStore& store,
                                   core::io::LockMode mode,
                                   std::chrono::seconds wait,
                                   const std::function<void()>& on_wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  auto lock =
      core::io::FileLock::try_lock(store.directory().open_or_create_file(k_lock_file, 0600), mode);
  bool told = false;
  while (!lock.held()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw core::Error(core::ExitCode::runtime,
                        "another postal-backup (create, prune or export) has held the lock of "
                            + store.directory().path().parent_path().string() + " for "
                            + std::to_string(wait.count()) + " s",
                        {"wait for it to finish, or find it with `fuser -v "
                         + (store.directory().path() / k_lock_file).string() + "`"});
    }
    if (!told) {
      on_wait();
      told = true;
    }
    core::throw_if_interrupted();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    lock = core::io::FileLock::try_lock(lock.release_fd(), mode);
  }
  return lock;
}

} // namespace pbk::archive
