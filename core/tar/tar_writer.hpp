// SPDX-License-Identifier: MIT
// TarWriter writes a POSIX pax (restricted) tar into a ByteSink through libarchive's write
// callbacks, so `tar -tf` lists our archives. Every member is a regular file, mode 0600,
// owned by uid/gid 0, whose size is known before its header is written. close() writes the
// end-of-archive blocks and reports libarchive's last error; it does not finish `out`.
// Destroying a writer without close() never writes a trailer: a broken archive must not look
// complete.
#pragma once

#include "core/c_handle.hpp"
#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
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

  // Ends the archive; call once, after the last member. Throws on any write failure.
  void close();

private:
  struct Callbacks;
  static void free_archive(::archive* a) noexcept;
  [[noreturn]] void fail(const std::string& what);

  io::ByteSink& m_out;
  UniqueHandle<::archive, &TarWriter::free_archive> m_archive;
  std::exception_ptr m_sink_error; // what `out` threw inside a callback, rethrown by fail()
  bool m_closed = false;
};

} // namespace pbk::core::tar
