// SPDX-License-Identifier: MIT
// Where each entry of a tar that the tool's TarWriter wrote sits in its bytes, for tests that
// damage one chosen header, data or padding byte. Every header block is an entry: the pax
// header written before a long name is one of its own (named as its header names it).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace pbk::test {

struct TarEntryBytes {
  std::string name;       // the header's name field
  std::size_t header = 0; // offset of the header block
  std::size_t data = 0;   // offset of the data (header + 512)
  std::size_t size = 0;   // data bytes, without the padding
  std::size_t end = 0;    // offset after the padding: the next header, or the end blocks
};

// The entries up to the end-of-archive blocks (which start at the last entry's `end`).
[[nodiscard]] std::vector<TarEntryBytes> tar_entries(const std::string& tar);

} // namespace pbk::test
