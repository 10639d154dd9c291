// SPDX-License-Identifier: MIT
// How much a data member may make a reader read, hold, decompress and load: what its manifest
// record and its table's record say (when the manifest was read ahead: a restore from a file),
// never more than the hard caps of manifest.hpp. The checks run as the data streams, so a
// member that lies about itself costs at most its bound, not what its data expands to.
#pragma once

#include "archive/manifest.hpp"

#include "core/rowcodec/row_decoder.hpp"
#include "core/tar/tar_reader.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace pbk::archive {

// The hard caps on a member's rows.
[[nodiscard]] inline core::rowcodec::RowLimits hard_row_limits() {
  core::rowcodec::RowLimits limits;
  limits.max_row_bytes = archive::k_max_row_bytes;
  limits.max_fields = archive::k_max_row_fields;
  return limits;
}

struct MemberBounds {
  std::uint64_t stored = archive::k_max_member_bytes;  // bytes in the archive
  std::uint64_t raw = archive::k_max_member_raw_bytes; // bytes after zstd -d
  core::rowcodec::RowLimits rows = hard_row_limits();
};

class RecordedBounds {
public:
  RecordedBounds() = default; // hard caps only
  explicit RecordedBounds(const archive::Manifest& recorded);

  // Throws IntegrityError (naming `label`) when the manifest read ahead does not list the
  // member or its header states more bytes than the member may hold.
  [[nodiscard]] MemberBounds of(const core::tar::TarMember& member, const std::string& label) const;

private:
  const archive::Manifest* m_recorded = nullptr;
  std::map<std::string, const archive::MemberRecord*> m_members;
  std::map<std::pair<std::string, std::string>, std::uint64_t> m_largest_row;
};

} // namespace pbk::archive
