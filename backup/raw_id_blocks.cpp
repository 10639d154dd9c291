// SPDX-License-Identifier: MIT
#include "backup/raw_id_blocks.hpp"

#include "core/decimal.hpp"

#include <limits>

namespace pbk::backup {

std::string ids_outside_blocks(const std::vector<std::int64_t>& blocks) {
  std::string condition;
  const auto add = [&](const std::string& part) {
    condition += (condition.empty() ? "" : " OR ") + part;
  };
  std::optional<std::int64_t> from; // first id after the previous block; none before the first
  for (const auto block : blocks) {
    // k_raw_id_block divides 2^63: neither bound of a block overflows.
    const std::int64_t start = block * k_raw_id_block;
    const std::int64_t end = start + (k_raw_id_block - 1);
    if (!from) {
      if (start > std::numeric_limits<std::int64_t>::min()) {
        add("id < " + std::to_string(start));
      }
    } else if (*from < start) {
      add("id BETWEEN " + std::to_string(*from) + " AND " + std::to_string(start - 1));
    }
    if (end == std::numeric_limits<std::int64_t>::max()) {
      return condition.empty() ? "1 = 0" : condition;
    }
    from = end + 1;
  }
  if (!from) {
    return "1 = 1";
  }
  add("id >= " + std::to_string(*from));
  return condition;
}

RawIdBlocks::RawIdBlocks(const std::vector<std::string>& columns,
                         const postal::RewritableRows* rewritable)
    : m_followed(!columns.empty() && columns.front() == "id"),
      m_rewritable(rewritable) {}

std::optional<std::int64_t> RawIdBlocks::id_of(const core::db::RowView& row) const {
  if (!m_followed || row.size() == 0 || row.is_null(0)) {
    return std::nullopt;
  }
  return core::parse_decimal<std::int64_t>(row.value(0));
}

bool RawIdBlocks::starts_block(const core::db::RowView& row) const {
  const auto id = id_of(row);
  return id && m_last_block && raw_id_block_of(*id) != *m_last_block;
}

void RawIdBlocks::add_row(const core::db::RowView& row) {
  const auto id = id_of(row);
  if (!id) {
    m_followed = false;
    return;
  }
  if (m_last_id && *id <= *m_last_id) {
    m_ascending = false;
  }
  const bool dirty = m_rewritable && m_rewritable->contains(*id);
  const auto block = raw_id_block_of(*id);
  if (m_last_block != block || m_blocks.empty()) {
    m_blocks.push_back({*id, *id, 0, dirty});
  } else {
    m_blocks.back().last_id = *id;
    m_blocks.back().dirty = m_blocks.back().dirty || dirty;
  }
  m_last_block = block;
  m_last_id = id;
}

void RawIdBlocks::add_member() {
  if (!m_blocks.empty()) {
    ++m_blocks.back().members;
  }
}

void RawIdBlocks::add_reused(const archive::RawIdBlock& block) {
  if (m_last_id && block.first_id <= *m_last_id) {
    m_ascending = false;
  }
  m_blocks.push_back(block);
  m_last_block = raw_id_block_of(block.first_id);
  m_last_id = block.last_id;
}

std::optional<std::vector<archive::RawIdBlock>> RawIdBlocks::blocks() const {
  if (!m_followed || !m_ascending) {
    return std::nullopt;
  }
  return m_blocks;
}

} // namespace pbk::backup
