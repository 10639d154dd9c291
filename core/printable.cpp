// SPDX-License-Identifier: MIT
#include "core/printable.hpp"

#include <cstddef>

namespace pbk::core {
namespace {

bool in_range(unsigned char c, unsigned char low, unsigned char high) {
  return c >= low && c <= high;
}

// Length of the valid UTF-8 sequence starting at `at` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); 0 when there is none.
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) {
    return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0;
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (in_range(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (in_range(lead, 0xF0, 0xF4)) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (!in_range(byte(1), low, high)) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (!in_range(byte(i), 0x80, 0xBF)) {
      return 0;
    }
  }
  return length;
}

// U+0080..U+009F, the C1 controls (CSI is U+009B), are encoded C2 80..C2 9F.
bool is_c1_control(std::string_view text, std::size_t at) {
  return static_cast<unsigned char>(text[at]) == 0xC2
         && static_cast<unsigned char>(text[at + 1]) <= 0x9F;
}

void append_escaped(std::string& out, unsigned char c) {
  constexpr const char* k_hex = "0123456789abcdef";
  out += "\\x";
  out += k_hex[c >> 4];
  out += k_hex[c & 0x0F];
}

} // namespace

std::string printable(std::string_view text, LineBreaks line_breaks) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c == '\\' && line_breaks == LineBreaks::escape) {
      out += "\\\\";
      ++at;
      continue;
    }
    if ((c == '\n' || c == '\t') && line_breaks == LineBreaks::keep) {
      out += static_cast<char>(c);
      ++at;
      continue;
    }
    const std::size_t length = utf8_length(text, at);
    if (length == 0 || c < 0x20 || c == 0x7F || (length == 2 && is_c1_control(text, at))) {
      append_escaped(out, c); // a C1 control's second byte is escaped on the next turn
      ++at;
      continue;
    }
    out.append(text, at, length);
    at += length;
  }
  return out;
}

} // namespace pbk::core
