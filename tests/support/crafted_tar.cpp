// SPDX-License-Identifier: MIT
#include "tests/support/crafted_tar.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace pbk::test {
namespace {

constexpr std::size_t k_block = 512;

std::string padded(std::string data) {
  data.append((k_block - data.size() % k_block) % k_block, '\0');
  return data;
}

void put_octal(char* field, std::size_t width, std::uint64_t value) {
  std::snprintf(
      field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

// A ustar header block; `size` must fit its 11 octal digits (the pax header states the real
// one).
std::string
ustar_header(const std::string& name, std::uint64_t size, char type, const std::string& link = {}) {
  std::string block(k_block, '\0');
  char* h = block.data();
  std::memcpy(h, name.data(), std::min<std::size_t>(name.size(), 99));
  std::memcpy(h + 157, link.data(), std::min<std::size_t>(link.size(), 99));
  put_octal(h + 100, 8, 0644);
  put_octal(h + 108, 8, 0);
  put_octal(h + 116, 8, 0);
  put_octal(h + 124, 12, size);
  put_octal(h + 136, 12, 0);
  h[156] = type;
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (const char c : block) {
    sum += static_cast<unsigned char>(c);
  }
  std::snprintf(h + 148, 8, "%06o", sum);
  return block;
}

// One pax record: "<length> <key>=<value>\n", the length counting itself.
std::string pax_record(const std::string& key, const std::string& value) {
  const std::string body = " " + key + "=" + value + "\n";
  std::size_t length = body.size() + 1;
  while (std::to_string(length).size() + body.size() != length) {
    ++length;
  }
  return std::to_string(length) + body;
}

std::string pax_header(const std::vector<std::pair<std::string, std::string>>& records) {
  std::string data;
  for (const auto& [key, value] : records) {
    data += pax_record(key, value);
  }
  return ustar_header("PaxHeader", data.size(), 'x') + padded(data);
}

} // namespace

std::string
tar_member_stating(const std::string& path, std::uint64_t stated_size, const std::string& data) {
  const std::uint64_t ustar_size = stated_size < (std::uint64_t{1} << 33) ? stated_size : 0;
  return pax_header({{"path", path}, {"size", std::to_string(stated_size)}})
         + ustar_header(path, ustar_size, '0') + padded(data);
}

std::string tar_member(const std::string& path, const std::string& data) {
  return tar_member_stating(path, data.size(), data);
}

std::string tar_sparse_member(const std::string& path, std::uint64_t real_size) {
  // GNU sparse 1.0: the map ("<entries>\n<offset>\n<size>\n") leads the data, padded to a block.
  const std::string map = padded("1\n" + std::to_string(real_size - 1) + "\n1\n");
  const std::string data = map + padded("x");
  return pax_header({{"GNU.sparse.major", "1"},
                     {"GNU.sparse.minor", "0"},
                     {"GNU.sparse.name", path},
                     {"GNU.sparse.realsize", std::to_string(real_size)}})
         + ustar_header("GNUSparseFile.0/" + path.substr(0, 80), data.size(), '0') + data;
}

std::string tar_special_member(const std::string& path, char type, const std::string& link) {
  return pax_header({{"path", path}}) + ustar_header(path, 0, type, link);
}

std::string tar_end() {
  return std::string(2 * k_block, '\0');
}

std::string tar_archive(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out;
  for (const auto& [path, data] : members) {
    out += tar_member(path, data);
  }
  return out + tar_end();
}

} // namespace pbk::test
