// SPDX-License-Identifier: MIT
// The current row is unescaped into one string; fields are offsets into it, turned into
// views only when the row is complete, so a value split across writes needs no special case.
#include "core/rowcodec/row_decoder.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <array>

namespace pbk::core::rowcodec {

namespace {

// Bytes that end a run of literal field content.
constexpr std::array<bool, 256> make_special_table() {
  std::array<bool, 256> table{};
  table['\\'] = true;
  table['\t'] = true;
  table['\n'] = true;
  return table;
}

constexpr std::array<bool, 256> k_special = make_special_table();

std::string printable(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7F) {
    return std::string(1, c);
  }
  constexpr std::string_view digits = "0123456789abcdef";
  return std::string("\\x") + digits[byte >> 4] + digits[byte & 0xF];
}

} // namespace

RowDecoder::RowDecoder(RowCallback on_row, std::string label, RowLimits limits)
    : m_on_row(std::move(on_row)),
      m_label(std::move(label)),
      m_limits(limits) {
  if (m_limits.fields) {
    m_limits.max_fields = std::min(m_limits.max_fields, *m_limits.fields);
  }
}

void RowDecoder::fail(const std::string& why) const {
  throw IntegrityError(m_label + ": row " + std::to_string(m_rows + 1) + ": " + why);
}

void RowDecoder::check_room(std::size_t size) const {
  if (size > m_limits.max_row_bytes - m_data.size()) {
    fail("the row holds more than " + std::to_string(m_limits.max_row_bytes)
         + " bytes of values, more than its table's largest row");
  }
}

void RowDecoder::unescape(char letter) {
  if (m_field_null) {
    fail("data after \\N in a field");
  }
  if (letter != 'N') { // \N marks a NULL and adds no byte
    check_room(1);
  }
  switch (letter) {
  case '\\':
    m_data += '\\';
    break;
  case '0':
    m_data += '\0';
    break;
  case 'n':
    m_data += '\n';
    break;
  case 't':
    m_data += '\t';
    break;
  case 'r':
    m_data += '\r';
    break;
  case 'Z':
    m_data += '\x1A';
    break;
  case 'N':
    if (m_data.size() != m_field_begin) {
      fail("\\N inside a field");
    }
    m_field_null = true;
    break;
  default:
    fail("invalid escape sequence \\" + printable(letter));
  }
}

void RowDecoder::end_field() {
  if (m_fields.size() >= m_limits.max_fields) {
    fail("the row has more than " + std::to_string(m_limits.max_fields)
         + " fields, more than its table has columns");
  }
  m_fields.push_back({m_field_begin, m_field_null});
  m_field_begin = m_data.size();
  m_field_null = false;
}

void RowDecoder::end_row() {
  end_field();
  if (m_limits.fields && m_fields.size() != *m_limits.fields) {
    fail("the row has " + std::to_string(m_fields.size()) + " fields, its table has "
         + std::to_string(*m_limits.fields) + " columns");
  }
  if (m_rows >= m_limits.max_rows) {
    fail("more rows than the " + std::to_string(m_limits.max_rows) + " recorded");
  }
  m_views.clear();
  for (std::size_t i = 0; i < m_fields.size(); ++i) {
    if (m_fields[i].null) {
      m_views.emplace_back(std::nullopt);
      continue;
    }
    const std::size_t end = i + 1 < m_fields.size() ? m_fields[i + 1].begin : m_data.size();
    m_views.emplace_back(
        std::string_view(m_data).substr(m_fields[i].begin, end - m_fields[i].begin));
  }
  m_on_row(m_views);
  ++m_rows;
  m_data.clear();
  if (m_data.capacity() > k_kept_capacity) {
    m_data = std::string(); // a rare large row does not keep its memory for the rest
  }
  m_fields.clear();
  m_field_begin = 0;
}

void RowDecoder::append(const char* data, std::size_t size) {
  check_room(size);
  // Large rows grow the buffer by a quarter, not double: a row of tens of MiB then costs a
  // few more copies instead of up to twice its size in memory.
  const std::size_t needed = m_data.size() + size;
  if (needed > m_data.capacity() && needed > k_kept_capacity) {
    m_data.reserve(std::max(needed, m_data.capacity() + m_data.capacity() / 4));
  }
  m_data.append(data, size);
}

void RowDecoder::write(std::span<const std::byte> data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const auto* const end = p + data.size();
  if (p != end && m_escape_pending) {
    m_escape_pending = false;
    unescape(static_cast<char>(*p++));
  }
  while (p != end) {
    const auto* run = p;
    while (p != end && !k_special[*p]) {
      ++p;
    }
    if (p != run) {
      if (m_field_null) {
        fail("data after \\N in a field");
      }
      append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    }
    if (p == end) {
      break;
    }
    const unsigned char c = *p++;
    if (c == '\t') {
      end_field();
    } else if (c == '\n') {
      end_row();
    } else if (p == end) {
      m_escape_pending = true;
    } else {
      unescape(static_cast<char>(*p++));
    }
  }
}

void RowDecoder::finish() {
  if (m_escape_pending || !m_data.empty() || !m_fields.empty() || m_field_null) {
    fail("data ends inside a row (missing final newline): truncated");
  }
}

} // namespace pbk::core::rowcodec
