// SPDX-License-Identifier: MIT
// TarWriter writes a POSIX pax (restricted) tar into a ByteSink through libarchive's write
// callbacks, so `tar -tf` lists our archives. Every member is a regular file, mode 0600,
// owned by uid/gid 0, whose size is known before its header is written; its data comes from
// memory or streams from a ByteSource (a member copied from another archive, up to
// archive::k_max_member_bytes, is never held whole). close() writes the
// end-of-archive blocks and reports libarchive's last error; it does not finish `out`.
// Destroying a writer without close() never writes a trailer: a broken archive must not look
// complete.
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct archive;

namespace pbk::core::tar {

class TarWriter {
public:
  explicit TarWriter(io::ByteSink& out);
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;
  ~TarWriter();

  // Appends one regular file. `path` is relative, with '/' separators; mtime in Unix seconds.
  void add_member(std::string_view path, std::span<const std::byte> data, std::int64_t mtime);
  // Appends one regular file of exactly `size` bytes read from `data` to its end. A source
  // that ends early or holds more throws IntegrityError naming the member; the header already
  // promised `size`, so the writer is then unusable and must be abandoned (no trailer).
  void
  add_member(std::string_view path, std::uint64_t size, std::int64_t mtime, io::ByteSource& data);

  // Ends the archive; call once, after the last member. Throws on any write failure.
  void close();

private:
  struct Callbacks;
  static void free_archive(::archive* a) noexcept;
  [[noreturn]] void fail(const std::string& what);
  void write_header(const std::string& name, std::uint64_t size, std::int64_t mtime);
  void write_data(const std::string& name, std::span<const std::byte> data);
  void finish_member(const std::string& name);

  io::ByteSink& m_out;
  UniqueHandle<::archive, &TarWriter::free_archive> m_archive;
  std::exception_ptr m_sink_error; // what `out` threw inside a callback, rethrown by fail()
  // The error that broke the archive: every later call rethrows it, so whichever of several
  // writers reports first names the cause (a full disk), not "broken by a failed member".
  std::exception_ptr m_failure;
  std::unique_ptr<std::byte[]> m_copy_buffer; // for streamed members, made on first use
  bool m_closed = false;
  bool m_broken = false; // a member's header is written but not all its data: nothing may follow
};

} // namespace pbk::core::tar
