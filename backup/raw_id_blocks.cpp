// SPDX-License-Identifier: MIT
#include "backup/raw_id_blocks.hpp"

#include "core/decimal.hpp"

namespace pbk::backup {

std::int64_t raw_id_block_of(std::int64_t id) {
  const std::int64_t block = id / k_raw_id_block;
  return id % k_raw_id_block < 0 ? block - 1 : block;
}

RawIdBlocks::RawIdBlocks(const std::vector<std::string>& columns)
    : m_followed(!columns.empty() && columns.front() == "id") {}

bool RawIdBlocks::next_row(const core::db::RowView& row) {
  if (!m_followed) {
    return false;
  }
  const auto id = row.size() > 0 && !row.is_null(0)
                      ? core::parse_decimal<std::int64_t>(row.value(0))
                      : std::nullopt;
  if (!id) {
    m_followed = false;
    return false;
  }
  const auto previous = m_last_id;
  m_last_id = id;
  if (!previous) {
    return false;
  }
  if (*id <= *previous) {
    m_ascending = false;
  }
  return raw_id_block_of(*id) != raw_id_block_of(*previous);
}

} // namespace pbk::backup
