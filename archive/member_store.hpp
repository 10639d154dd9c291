// SPDX-License-Identifier: MIT
// A repository's member store (docs/format.md, "Repositories"): every data member of the
// repository's backups, stored once under the SHA-256 of its stored bytes in
// DIR/postal-backup-data/. A backup in the repository holds, in place of each data member, a
// reference entry `<path>.ref` whose text is `<sha256> <size>\n`; ArchiveScanner reads the
// member from here, so every reader sees the archive the backup describes.
//
// A stored member never changes once its name exists (the name is its content's digest), so
// any number of backups can share it and each can be pruned on its own; prune deletes a
// stored member once no backup refers to it. Writers (create --incremental, prune, export)
// serialise through the store's lock file.
#pragma once

#include "archive/manifest.hpp"

#include "core/io/directory.hpp"
#include "core/io/fd.hpp"
#include "core/io/file_lock.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::archive {

inline constexpr const char* k_store_directory = "postal-backup-data";
inline constexpr std::string_view k_reference_suffix = ".ref";
// A reference entry's text is far below this; anything longer is not one.
inline constexpr std::uint64_t k_max_reference_bytes = 128;
// More references than manifest.json could list members (each record takes well over 64 of
// its at most 16 MiB): a file holding more is not a backup, and a reader holding them all
// would grow without bound.
inline constexpr std::size_t k_max_references = k_max_json_bytes / 64;

struct MemberReference {
  std::string sha256; // 64 lower-case hex digits: the stored member's file name
  std::uint64_t size = 0;
};

[[nodiscard]] bool is_reference_path(std::string_view path);
// The member path a reference entry stands for.
[[nodiscard]] std::string referenced_path(std::string_view reference_path);
[[nodiscard]] std::string reference_text(const MemberReference& reference);
// Throws IntegrityError naming `label` unless `text` is exactly `<64 hex> <decimal>\n`.
[[nodiscard]] MemberReference parse_reference(std::string_view text, const std::string& label);
[[nodiscard]] bool is_stored_member_name(std::string_view name);

class MemberStore {
public:
  // The store of the repository `directory`; nullopt when it has none yet.
  [[nodiscard]] static std::optional<MemberStore>
  open_existing(const std::filesystem::path& directory);
  [[nodiscard]] static MemberStore open_or_create(const std::filesystem::path& directory);

  // Stores a member's bytes unless an intact copy is already there (its content hashed
  // again: a damaged copy is replaced, never shared by a new backup). Durable after sync().
  // Returns whether it wrote (false: an intact copy was there).
  bool put(const MemberReference& reference, std::span<const std::byte> data) const;
  // The stored member, read-only; IntegrityError naming `member` when it is missing or its size
  // is not the reference's.
  [[nodiscard]] core::io::Fd open(const MemberReference& reference,
                                  const std::string& member) const;

  void sync() const { m_directory.sync(); }

  [[nodiscard]] const core::io::Directory& directory() const { return m_directory; }

private:
  explicit MemberStore(core::io::Directory directory)
      : m_directory(std::move(directory)) {}

  [[nodiscard]] bool holds_intact(const MemberReference& reference) const;

  core::io::Directory m_directory;
};

// The repository's lock (DIR/postal-backup-data/lock): create --incremental and export hold it
// shared, prune's deletions exclusive. Waits up to `wait`, calling `on_wait` once when it has
// to; then throws Error(runtime) naming the directory.
[[nodiscard]] core::io::FileLock lock_repository(const MemberStore& store,
                                                 core::io::LockMode mode,
                                                 std::chrono::seconds wait,
                                                 const std::function<void()>& on_wait);

} // namespace pbk::archive
