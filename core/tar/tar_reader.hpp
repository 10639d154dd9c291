// SPDX-License-Identifier: MIT
// TarReader reads a tar archive from a ByteSource (a file or a pipe) with libarchive, one
// member at a time, without seeking. It accepts only what TarWriter produces: regular files
// with relative paths free of `..`, never sparse; anything else, damage, or an archive that ends
// early (also one cut exactly between members, detected by the missing end-of-archive blocks)
// throws IntegrityError prefixed with the label. The bytes libarchive skips unread are checked
// by TarLayoutCheck.
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"
#include "core/tar/tar_layout_check.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>

struct archive;

namespace pbk::core::tar {

struct TarMember {
  std::string path;
  std::int64_t size = 0; // from the header: callers bound it before allocating by it
};

class TarReader {
public:
  static constexpr std::size_t k_buffer_size = std::size_t{1} << 20;

  // `label` names the archive in errors (its path, or "standard input").
  TarReader(io::ByteSource& in, std::string label);
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;
  ~TarReader();

  // The next member's header; unread data of the previous member is skipped. nullopt at the
  // end of the archive.
  [[nodiscard]] std::optional<TarMember> next();

  // Data of the current member; 0 at its end (or before the first next()).
  [[nodiscard]] std::size_t read(std::span<std::byte> buffer);

private:
  struct Callbacks;
  static void free_archive(::archive* a) noexcept;
  [[noreturn]] void fail(const std::string& what);
  void check_member(const std::string& path, int filetype, bool hardlink) const;

  std::string m_label;
  TarLayoutCheck m_in; // the archive's bytes, as they pass to libarchive
  std::unique_ptr<std::byte[]> m_buffer;
  UniqueHandle<::archive, &TarReader::free_archive> m_archive;
  std::exception_ptr m_source_error; // what `in` threw inside a callback, rethrown by fail()
  bool m_source_ended = false;
  bool m_in_member = false;
  bool m_ended = false;
  bool m_opened = false;
  std::int64_t m_member_end = 0;      // stream offset just past the current member's padded data
  TarMember m_member;                 // the current one
  const std::byte* m_block = nullptr; // unread part of libarchive's current data block
  std::size_t m_block_left = 0;
  std::int64_t m_data_offset = 0; // member bytes returned so far
};

} // namespace pbk::core::tar
