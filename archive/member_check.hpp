// SPDX-License-Identifier: MIT
// The comparisons behind `verify`: what was read against what the manifest and backup.json
// say. Kept apart from the streaming so each rule is one small function with one message.
#pragma once

#include "archive/manifest.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pbk::archive {

struct ObservedMember {
  std::string path;
  std::uint64_t size = 0;
  std::uint64_t raw_size = 0;
  std::uint64_t lines = 0;
  std::string sha256;
  // false: its contents were not read (sealed and no key given, or left out of a selective
  // restore); raw_size and lines are unknown
  bool opened = true;
};

// Throws IntegrityError naming the first member that differs from the manifest.
void check_members(const std::vector<ObservedMember>& observed,
                   const archive::Manifest& manifest,
                   const std::string& label);
// Throws IntegrityError when manifest tables and members disagree with backup.json.
void check_tables(const archive::BackupInfo& info,
                  const archive::Manifest& manifest,
                  const std::string& label);

} // namespace pbk::archive
