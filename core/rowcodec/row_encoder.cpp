// SPDX-License-Identifier: MIT
// The hot loop of every backup. Values are mostly long runs of safe bytes (raw e-mails), so
// the scan checks one table entry per byte and copies each safe run with one memcpy; the
// buffer is refilled in slices small enough that even a slice of only special bytes (which
// doubles in size) fits, so the inner loop never checks for space.
#include "core/rowcodec/row_encoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pbk::core::rowcodec {

namespace {

// The letter written after the backslash for each byte that must be escaped, 0 otherwise.
constexpr std::array<char, 256> make_escape_table() {
  std::array<char, 256> table{};
  table['\\'] = '\\';
  table['\0'] = '0';
  table['\n'] = 'n';
  table['\t'] = 't';
  table['\r'] = 'r';
  table[0x1A] = 'Z';
  return table;
}

constexpr std::array<char, 256> k_escape = make_escape_table();
constexpr std::size_t k_min_buffer = 16;

// The first byte in [p, stop) that needs an escape, or stop. Raw mail has one such byte
// every few dozen bytes at most (line ends), so 16 bytes are compared at once where the CPU
// can (SSE2 is part of every x86-64), and the rest one by one.
const unsigned char* next_special(const unsigned char* p, const unsigned char* stop) {
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i nul = _mm_setzero_si128();
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i ctrl_z = _mm_set1_epi8(0x1A);
  while (stop - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, backslash), _mm_cmpeq_epi8(block, nul)),
                     _mm_or_si128(_mm_cmpeq_epi8(block, lf), _mm_cmpeq_epi8(block, tab))),
        _mm_or_si128(_mm_cmpeq_epi8(block, cr), _mm_cmpeq_epi8(block, ctrl_z)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) {
      return p + __builtin_ctz(static_cast<unsigned>(mask));
    }
    p += 16;
  }
#endif
  while (p != stop && k_escape[*p] == 0) {
    ++p;
  }
  return p;
}

} // namespace

RowEncoder::RowEncoder(io::ByteSink& out, std::size_t buffer_size)
    : m_out(out),
      m_buffer(std::make_unique<char[]>(std::max(buffer_size, k_min_buffer))),
      m_capacity(std::max(buffer_size, k_min_buffer)) {}

void RowEncoder::flush() {
  if (m_used == 0) {
    return;
  }
  m_out.write(std::as_bytes(std::span(m_buffer.get(), m_used)));
  m_flushed += m_used;
  m_used = 0;
}

void RowEncoder::put(char c) {
  if (m_used == m_capacity) {
    flush();
  }
  m_buffer[m_used++] = c;
}

void RowEncoder::put_field(std::string_view value) {
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const auto* const end = p + value.size();
  while (p != end) {
    // Flush once less than a quarter of the buffer is left, so slices stay large.
    if (m_capacity - m_used < m_capacity / 4) {
      flush();
    }
    const std::size_t slice =
        std::min<std::size_t>(static_cast<std::size_t>(end - p), (m_capacity - m_used) / 2);
    const auto* const stop = p + slice;
    char* dst = m_buffer.get() + m_used;
    while (p != stop) {
      const auto* run = p;
      p = next_special(p, stop);
      std::memcpy(dst, run, static_cast<std::size_t>(p - run));
      dst += p - run;
      if (p != stop) {
        dst[0] = '\\';
        dst[1] = k_escape[*p];
        dst += 2;
        ++p;
      }
    }
    m_used = static_cast<std::size_t>(dst - m_buffer.get());
  }
}

void RowEncoder::encode(std::span<const std::optional<std::string_view>> fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) {
      put('\t');
    }
    if (!fields[i]) {
      put('\\');
      put('N');
    } else {
      put_field(*fields[i]);
    }
  }
  put('\n');
  ++m_rows;
}

void RowEncoder::encode(const db::RowView& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i != 0) {
      put('\t');
    }
    if (row.is_null(i)) {
      put('\\');
      put('N');
    } else {
      put_field(row.value(i));
    }
  }
  put('\n');
  ++m_rows;
}

} // namespace pbk::core::rowcodec
