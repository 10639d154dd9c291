// SPDX-License-Identifier: MIT
#include "tests/support/tar_layout.hpp"

namespace pbk::test {

std::vector<TarEntryBytes> tar_entries(const std::string& tar) {
  constexpr std::size_t k_block = 512;
  std::vector<TarEntryBytes> entries;
  std::size_t at = 0;
  while (at + k_block <= tar.size() && tar[at] != '\0') {
    TarEntryBytes entry;
    entry.name = tar.substr(at, tar.find('\0', at) - at);
    entry.header = at;
    entry.data = at + k_block;
    entry.size = std::stoull(tar.substr(at + 124, 11), nullptr, 8);
    entry.end = entry.data + (entry.size + k_block - 1) / k_block * k_block;
    at = entry.end;
    entries.push_back(std::move(entry));
  }
  return entries;
}

} // namespace pbk::test
