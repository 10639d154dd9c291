// SPDX-License-Identifier: MIT
// Header fields are parsed the way libarchive parses them (leading spaces, octal digits up to
// the first other byte; base-256 when the top bit is set), so both agree on where each
// member's data ends whatever a crafted header holds.
#include "core/tar/tar_layout_check.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <utility>

namespace pbk::core::tar {

namespace {

constexpr std::size_t k_checksum_at = 148;
constexpr std::size_t k_checksum_size = 8;
constexpr std::size_t k_size_at = 124;
constexpr std::size_t k_size_size = 12;
constexpr std::size_t k_typeflag_at = 156;

using Block = std::array<std::byte, TarLayoutCheck::k_block>;

unsigned char at(const Block& block, std::size_t i) {
  return static_cast<unsigned char>(block[i]);
}

// libarchive's tar_atol8: -1 when the field holds no number (it then refuses the header).
std::int64_t parse_octal(const Block& block, std::size_t begin, std::size_t size) {
  std::size_t i = begin;
  const std::size_t end = begin + size;
  while (i < end && (at(block, i) == ' ' || at(block, i) == '\t')) {
    ++i;
  }
  std::int64_t value = 0;
  bool digits = false;
  for (; i < end && at(block, i) >= '0' && at(block, i) <= '7'; ++i) {
    if (value > (std::int64_t{1} << 58)) {
      return -1;
    }
    value = value * 8 + (at(block, i) - '0');
    digits = true;
  }
  return digits ? value : 0;
}

// The member's data size, or -1 when libarchive would not take it as one.
std::int64_t parse_size(const Block& block) {
  if ((at(block, k_size_at) & 0x80) == 0) {
    return parse_octal(block, k_size_at, k_size_size);
  }
  if ((at(block, k_size_at) & 0x40) != 0) {
    return -1; // negative
  }
  std::int64_t value = at(block, k_size_at) & 0x3F;
  for (std::size_t i = k_size_at + 1; i < k_size_at + k_size_size; ++i) {
    if (value > (std::int64_t{1} << 54)) {
      return -1;
    }
    value = value * 256 + at(block, i);
  }
  return value;
}

std::int64_t unsigned_sum(const Block& block) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < block.size(); ++i) {
    const bool in_field = i >= k_checksum_at && i < k_checksum_at + k_checksum_size;
    sum += in_field ? ' ' : at(block, i);
  }
  return sum;
}

// Six octal digits, NUL, space: what libarchive and GNU tar write.
bool canonical_checksum_field(const Block& block) {
  for (std::size_t i = k_checksum_at; i < k_checksum_at + 6; ++i) {
    if (at(block, i) < '0' || at(block, i) > '7') {
      return false;
    }
  }
  return at(block, k_checksum_at + 6) == '\0' && at(block, k_checksum_at + 7) == ' ';
}

bool all_zero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

} // namespace

TarLayoutCheck::TarLayoutCheck(io::ByteSource& in, std::string label)
    : m_in(in),
      m_label(std::move(label)) {}

std::size_t TarLayoutCheck::read(std::span<std::byte> buffer) {
  const std::size_t n = m_in.read(buffer);
  check(buffer.first(n));
  return n;
}

void TarLayoutCheck::check(std::span<const std::byte> bytes) {
  while (!bytes.empty() && m_part != Part::unchecked) {
    if (m_part == Part::header) {
      bytes = take_header(bytes);
    } else if (m_part == Part::data) {
      bytes = take_data(bytes);
    } else {
      bytes = take_zeros(bytes);
    }
  }
}

// A header may arrive split over reads: it is gathered whole before it is checked.
std::span<const std::byte> TarLayoutCheck::take_header(std::span<const std::byte> bytes) {
  const std::size_t take = std::min(k_block - m_filled, bytes.size());
  std::copy_n(bytes.begin(), take, m_block.begin() + static_cast<std::ptrdiff_t>(m_filled));
  m_filled += take;
  m_offset += take;
  if (m_filled == k_block) {
    m_filled = 0;
    end_header_block();
  }
  return bytes.subspan(take);
}

// A member's data is libarchive's to read and the manifest's hashes' to check.
std::span<const std::byte> TarLayoutCheck::take_data(std::span<const std::byte> bytes) {
  const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(m_left, bytes.size()));
  m_left -= take;
  m_offset += take;
  if (m_left == 0) {
    m_part = Part::padding;
    m_left = (k_block - m_offset % k_block) % k_block;
  }
  return bytes.subspan(take);
}

// Padding and what follows the end blocks must be zeros; only the end blocks' count ends.
std::span<const std::byte> TarLayoutCheck::take_zeros(std::span<const std::byte> bytes) {
  const std::size_t take =
      m_part == Part::padding
          ? static_cast<std::size_t>(std::min<std::uint64_t>(m_left, bytes.size()))
          : bytes.size();
  const auto chunk = bytes.first(take);
  const auto nonzero =
      std::find_if(chunk.begin(), chunk.end(), [](std::byte b) { return b != std::byte{0}; });
  if (nonzero != chunk.end()) {
    const auto offset = m_offset + static_cast<std::uint64_t>(nonzero - chunk.begin());
    fail(m_part == Part::padding ? "a member's padding is not zeros"
                                 : "data follows the end-of-archive blocks",
         offset);
  }
  m_offset += take;
  if (m_part == Part::padding) {
    m_left -= take;
    if (m_left == 0) {
      m_part = Part::header;
    }
  }
  return bytes.subspan(take);
}

void TarLayoutCheck::end_header_block() {
  const std::uint64_t block_at = m_offset - k_block;
  if (all_zero(m_block)) {
    ++m_zero_blocks;
    m_part = m_zero_blocks == 2 ? Part::after_end : Part::header;
    return;
  }
  if (m_zero_blocks > 0) {
    fail("the end-of-archive blocks are not zeros", block_at);
  }
  const std::int64_t size = parse_size(m_block);
  const char type = static_cast<char>(at(m_block, k_typeflag_at));
  // libarchive refuses a header whose checksum does not match and reads GNU sparse headers
  // with extension blocks of their own: its error (or TarReader's) names those.
  if (parse_octal(m_block, k_checksum_at, k_checksum_size) != unsigned_sum(m_block) || size < 0
      || type == 'S') {
    m_part = Part::unchecked;
    return;
  }
  if (!canonical_checksum_field(m_block)) {
    fail("a member header's checksum field is not in its written form", block_at + k_checksum_at);
  }
  m_left = static_cast<std::uint64_t>(size);
  m_part = m_left > 0 ? Part::data : Part::padding;
}

void TarLayoutCheck::fail(const std::string& what, std::uint64_t offset) const {
  throw IntegrityError(m_label + ": damaged archive: " + what + " (byte " + std::to_string(offset)
                       + ")");
}

} // namespace pbk::core::tar
