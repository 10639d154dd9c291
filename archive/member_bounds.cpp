// SPDX-License-Identifier: MIT
#include "archive/member_bounds.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace pbk::archive {
namespace {

const std::vector<std::string> k_altered_hint = {
    "the archive is damaged or was altered: restore from another copy"};

} // namespace

RecordedBounds::RecordedBounds(const archive::Manifest& recorded)
    : m_recorded(&recorded) {
  for (const auto& member : recorded.members) {
    m_members[member.path] = &member;
  }
  for (const auto& table : recorded.tables) {
    m_largest_row[{table.database, table.table}] = table.max_row_size;
  }
}

MemberBounds RecordedBounds::of(const core::tar::TarMember& member,
                                const std::string& label) const {
  MemberBounds bounds;
  if (m_recorded != nullptr) {
    const auto found = m_members.find(member.path);
    if (found == m_members.end()) {
      throw core::IntegrityError(label + " is not in the manifest", k_altered_hint);
    }
    const auto& record = *found->second;
    bounds.stored = std::min(bounds.stored, record.size);
    bounds.raw = std::min(bounds.raw, record.raw_size);
    if (record.kind == archive::MemberKind::rows) {
      bounds.rows.max_rows = record.rows;
      const auto largest = m_largest_row.find({record.database, record.table});
      bounds.rows.max_row_bytes =
          std::min(bounds.rows.max_row_bytes, largest != m_largest_row.end() ? largest->second : 0);
    }
  }
  if (static_cast<std::uint64_t>(member.size) > bounds.stored) {
    throw core::IntegrityError(
        label + " is " + std::to_string(member.size) + " bytes, more than the "
            + std::to_string(bounds.stored)
            + (m_recorded != nullptr ? " the manifest records" : " a member may hold"),
        k_altered_hint);
  }
  return bounds;
}

} // namespace pbk::archive
