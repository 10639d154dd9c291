// SPDX-License-Identifier: MIT
// TarLayoutCheck passes an archive's bytes on unchanged (to libarchive, inside TarReader)
// and refuses the bytes of a tar stream that libarchive reads past without looking: the
// padding after each member's data, the end-of-archive blocks and what follows them, and the
// unused bytes of a header's checksum field. TarWriter writes zeros there and a checksum of
// six octal digits, NUL, space; anything else means the archive was damaged or edited, so
// every byte of an archive is either checked here, by libarchive, or by the manifest's hashes.
// A header libarchive will refuse itself (its checksum does not match) stops the checking, so
// that libarchive names the damage.
#pragma once

#include "core/io/byte_sink.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace pbk::core::tar {

class TarLayoutCheck final : public io::ByteSource {
public:
  static constexpr std::size_t k_block = 512;

  // `in` is borrowed; `label` names the archive in errors.
  TarLayoutCheck(io::ByteSource& in, std::string label);

  // Throws IntegrityError for the first byte out of place among those read.
  [[nodiscard]] std::size_t read(std::span<std::byte> buffer) override;

private:
  enum class Part { header, data, padding, after_end, unchecked };

  void check(std::span<const std::byte> bytes);
  // Each checks what its part takes from the front of `bytes` and returns the rest.
  std::span<const std::byte> take_header(std::span<const std::byte> bytes);
  std::span<const std::byte> take_data(std::span<const std::byte> bytes);
  std::span<const std::byte> take_zeros(std::span<const std::byte> bytes);
  void end_header_block();
  [[noreturn]] void fail(const std::string& what, std::uint64_t offset) const;

  io::ByteSource& m_in;
  std::string m_label;
  Part m_part = Part::header;
  std::array<std::byte, k_block> m_block{};
  std::size_t m_filled = 0;   // of m_block
  std::uint64_t m_left = 0;   // bytes of data or padding still to come
  std::uint64_t m_offset = 0; // stream offset of the next byte to check
  int m_zero_blocks = 0;      // end-of-archive blocks seen
};

} // namespace pbk::core::tar
