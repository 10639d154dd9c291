// SPDX-License-Identifier: MIT
// Postal's config files written back by `restore --config-dest DIR`. Nothing is written
// until the whole archive is verified: members are decompressed into memory as they stream
// by (capped at archive::k_max_config_bytes), matched with their manifest records once the
// manifest has been checked, and write() puts each file in place atomically (temp + rename)
// with exactly its recorded mode. An existing file with other content is refused (exit 5)
// unless forced; identical files are left alone. The refusal comes before any table loads:
// from the manifest read ahead for an archive file, and as each config member arrives (they
// precede the tables) for a pipe.
#pragma once

#include "archive/archive_scanner.hpp"
#include "archive/manifest.hpp"
#include "archive/member_check.hpp"
#include "archive/member_opener.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pbk::restore {

struct ConfigFileOutcome {
  std::string name;
  std::uint32_t mode = 0600;
  bool written = false; // false: an identical file was already there and was left alone
};

class ConfigRestore {
public:
  ConfigRestore(std::filesystem::path destination, bool force);

  // From a manifest read ahead: refuses (exit 5) before anything is loaded or written.
  void check_planned(const archive::Manifest& manifest) const;
  // An ArchiveWalk handler for config members.
  [[nodiscard]] archive::ObservedMember take(archive::ArchiveScanner& scanner,
                                             const core::tar::TarMember& member,
                                             const archive::MemberOpener& opener);
  // take()'s end: one file's content, checked against the destination at once.
  void add(const std::string& name, std::string content);
  // After the manifest was checked against the members: every config member must have been
  // taken, and its content must hash to the record's content_sha256.
  void attach(const archive::Manifest& manifest, std::size_t expected_files);
  // Writes what differs or is missing; refuses (exit 5, nothing written) when an existing
  // file differs and force is off. Creates the destination (mode 0700) when missing.
  [[nodiscard]] std::vector<ConfigFileOutcome> write();

  [[nodiscard]] const std::filesystem::path& destination() const { return m_destination; }

private:
  enum class Existing { missing, identical, different };

  [[nodiscard]] Existing
  existing(const std::string& name, std::uint64_t size, const std::string& sha256) const;
  void
  refuse_if_different(const std::string& name, std::uint64_t size, const std::string& sha256) const;

  std::filesystem::path m_destination;
  bool m_force;
  std::map<std::string, std::string> m_contents; // name → content, as taken
  std::uint64_t m_total = 0;
  std::vector<archive::ConfigFile> m_files; // manifest order, after attach()
};

} // namespace pbk::restore
