// SPDX-License-Identifier: MIT
#include "restore/config_restore.hpp"

#include "archive/archive_key.hpp"
#include "archive/member_path.hpp"

#include "core/compress/zstd_decompress_source.hpp"
#include "core/error.hpp"
#include "core/hash/hashing_source.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace pbk::restore {
namespace {

namespace fs = std::filesystem;

// Collects a config member's content, refusing more than any config directory holds (a
// decompression bomb would otherwise exhaust memory before the manifest could refuse it).
class CappedTextSink final : public core::io::ByteSink {
public:
  CappedTextSink(std::string& out, std::uint64_t limit, std::string label)
      : m_out(out),
        m_limit(limit),
        m_label(std::move(label)) {}

  using ByteSink::write;

  void write(std::span<const std::byte> data) override {
    if (m_out.size() + data.size() > m_limit) {
      throw core::IntegrityError(m_label + " decompresses to more than "
                                 + std::to_string(archive::k_max_config_bytes >> 20)
                                 + " MiB, more than a config directory may hold");
    }
    m_out.append(reinterpret_cast<const char*>(data.data()), data.size());
  }

  void finish() override {}

private:
  std::string& m_out;
  std::uint64_t m_limit;
  std::string m_label;
};

void set_mtime(const fs::path& path, std::int64_t mtime) {
  const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(mtime), 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    const int err = errno;
    throw core::IoError(core::describe_errno("cannot set the mtime of " + path.string(), err), err);
  }
}

const std::vector<std::string> k_write_hints = {
    "config files are written before the databases are swapped: the databases are as they "
    "were; fix the cause and run the restore again"};

} // namespace

ConfigRestore::ConfigRestore(fs::path destination, bool force)
    : m_destination(std::move(destination)),
      m_force(force) {}

ConfigRestore::Existing ConfigRestore::existing(const std::string& name,
                                                std::uint64_t size,
                                                const std::string& sha256) const {
  const fs::path path = m_destination / name;

  struct stat st {};

  if (::lstat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      return Existing::missing;
    }
    throw core::IoError(core::describe_errno("--config-dest: cannot check " + path.string(), err),
                        err,
                        {"--config-dest must be a directory this user may write"});
  }
  // A symbolic link, directory or anything else is never what the backup holds: a regular
  // file. (A link is not followed: writing through it would change a file elsewhere.)
  if (!S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != size) {
    return Existing::different;
  }
  const auto read =
      core::io::read_regular_file(path, core::io::Symlinks::refuse, archive::k_max_config_bytes);
  return read && core::hash::sha256_hex(read->content) == sha256 ? Existing::identical
                                                                 : Existing::different;
}

void ConfigRestore::refuse_if_different(const std::string& name,
                                        std::uint64_t size,
                                        const std::string& sha256) const {
  if (m_force || existing(name, size, sha256) != Existing::different) {
    return;
  }
  throw core::Error(
      core::ExitCode::refused,
      "--config-dest: " + (m_destination / name).string() + " exists and differs from the backup's "
          + name + "; nothing was restored",
      {"move it aside (or compare it with the backup's: tar -xOf ARCHIVE "
       + archive::config_member_path(name) + " | zstd -d), or give --force to " + "replace it"});
}

void ConfigRestore::check_planned(const archive::Manifest& manifest) const {
  for (const auto& member : manifest.members) {
    if (member.kind == archive::MemberKind::config && member.config
        && archive::is_plain_file_name(member.config->name)) {
      refuse_if_different(member.config->name, member.raw_size, member.config->sha256);
    }
  }
}

archive::ObservedMember ConfigRestore::take(archive::ArchiveScanner& scanner,
                                            const core::tar::TarMember& member,
                                            const archive::MemberOpener& opener) {
  const std::string label = scanner.label() + ": member " + member.path;
  const auto name = archive::config_file_name(archive::unsealed_path(member.path));
  if (!name) {
    throw core::IntegrityError(label + " is not a config member");
  }
  std::string content;
  CappedTextSink text(content, archive::k_max_config_bytes - m_total, label);
  core::hash::HashingSource hashing(scanner.member_data());
  archive::OpenedSource opened(opener, hashing, member.path, label);
  core::compress::ZstdDecompressSource decompress(opened, label);
  std::array<std::byte, 64 * 1024> buffer{};
  while (const auto n = decompress.read(buffer)) {
    text.write(std::span<const std::byte>(buffer.data(), n));
  }
  while (opened.read(buffer) != 0) {
    // the rest of the stored bytes: the hash and the final chunk's tag cover all of them
  }
  archive::ObservedMember observed{
      member.path, hashing.bytes(), content.size(), 0, hashing.hex_digest()};
  add(*name, std::move(content));
  return observed;
}

void ConfigRestore::add(const std::string& name, std::string content) {
  refuse_if_different(name, content.size(), core::hash::sha256_hex(content));
  m_total += content.size();
  m_contents[name] = std::move(content);
}

void ConfigRestore::attach(const archive::Manifest& manifest, std::size_t expected_files) {
  m_files.clear();
  for (const auto& member : manifest.members) {
    if (member.kind != archive::MemberKind::config) {
      continue;
    }
    const auto& file = member.config.value();
    const auto found = m_contents.find(file.name);
    if (archive::config_member_path(file.name) != archive::unsealed_path(member.path)
        || found == m_contents.end() || core::hash::sha256_hex(found->second) != file.sha256) {
      throw core::IntegrityError("manifest.json: config member " + member.path
                                     + " does not match its record (file " + file.name + ")",
                                 {"the archive was altered: restore from another copy"});
    }
    m_files.push_back(file);
  }
  if (m_files.size() != expected_files || m_files.size() != m_contents.size()) {
    throw core::IntegrityError("backup.json lists " + std::to_string(expected_files)
                                   + " config files, the archive holds "
                                   + std::to_string(m_files.size()),
                               {"the archive was altered: restore from another copy"});
  }
}

std::vector<ConfigFileOutcome> ConfigRestore::write() {
  std::vector<ConfigFileOutcome> outcomes;
  for (const auto& file : m_files) {
    const auto& content = m_contents.at(file.name);
    refuse_if_different(file.name, content.size(), file.sha256); // all refused before any write
    const bool same = existing(file.name, content.size(), file.sha256) == Existing::identical;
    outcomes.push_back({file.name, file.mode, !same});
  }
  std::error_code ec;
  if (!fs::exists(m_destination, ec)) {
    if (!fs::create_directories(m_destination, ec) && ec) {
      throw core::IoError("--config-dest: cannot create " + m_destination.string() + ": "
                              + ec.message(),
                          ec.value(),
                          k_write_hints);
    }
    // Best effort, error ignored: the directory is new and ours, and each file carries its
    // own recorded mode; a wider directory exposes no file content.
    fs::permissions(m_destination, fs::perms::owner_all, ec);
  }
  for (const auto& outcome : outcomes) {
    if (!outcome.written) {
      continue;
    }
    const auto& file = *std::find_if(
        m_files.begin(), m_files.end(), [&](const auto& f) { return f.name == outcome.name; });
    const auto& content = m_contents.at(file.name);
    try {
      core::io::AtomicFile out(m_destination / file.name, file.mode & 0777);
      out.sink().write(std::string_view(content));
      out.commit();
      set_mtime(m_destination / file.name, file.mtime);
    } catch (const core::IoError& e) {
      throw core::IoError(std::string("--config-dest: ") + e.what(), e.err(), k_write_hints);
    }
  }
  return outcomes;
}

} // namespace pbk::restore
