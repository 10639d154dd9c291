// SPDX-License-Identifier: MIT
// AtomicFile writes `<final>.partial` and makes it appear as `<final>` only in commit():
// flush, fsync the file, close, rename, fsync the directory (pgBackRest's order). A crash or
// an abandoned write therefore never leaves a file that looks complete, and the destructor
// removes the .partial. The mode is set with fchmod, so a permissive umask cannot widen it:
// archives hold DKIM keys and credentials.
//
// The directory may be writable by others (a metrics directory shared with the collector, a
// config directory): the .partial is always a new file (O_CREAT|O_EXCL|O_NOFOLLOW), created,
// renamed and removed relative to one open descriptor of the directory, so a symbolic link,
// hard link or FIFO planted under the .partial or the final name is never written through.
// A name planted at the final path is replaced by the rename, never followed.
#pragma once

#include "core/io/fd.hpp"
#include "core/io/fd_sink.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace pbk::core::io {

// `replace`: commit() replaces an existing file, and a stale .partial left by a killed run is
// removed first when it is a regular file owned by this user; anything else there (a link, a
// FIFO, another user's file) is refused with an IoError naming it (files rewritten in place,
// such as a metrics file). `exclusive`: the .partial must not exist (two writers never share
// it; a killed run's leftover is reported) and commit() never replaces an existing file
// (archives).
enum class Overwrite { replace, exclusive };

class AtomicFile {
public:
  // Creates `<final_path>.partial`; throws IoError naming it on failure.
  explicit AtomicFile(std::filesystem::path final_path,
                      mode_t mode = 0600,
                      Overwrite overwrite = Overwrite::replace);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  // The sink stays valid for the object's lifetime; do not call its finish(), commit() does.
  [[nodiscard]] ByteSink& sink() noexcept { return m_sink; }

  // Call at most once, after the last write. Throws IoError; on failure the .partial is
  // removed by the destructor and `final_path()` is left as it was.
  void commit();

  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return m_final; }

  [[nodiscard]] const std::filesystem::path& partial_path() const noexcept { return m_partial; }

private:
  std::filesystem::path m_final;
  std::filesystem::path m_partial;
  std::string m_final_name;
  std::string m_partial_name;
  Fd m_dir;
  Fd m_fd;
  FdSink m_sink;
  Overwrite m_overwrite;
  bool m_committed = false;
};

} // namespace pbk::core::io
