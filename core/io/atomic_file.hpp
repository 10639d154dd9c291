// SPDX-License-Identifier: MIT
// AtomicFile writes `<final>.partial` and makes it appear as `<final>` only in commit():
// flush, fsync the file, close, rename, fsync the directory (pgBackRest's order). A crash or
// an abandoned write therefore never leaves a file that looks complete, and the destructor
// removes the .partial. The mode is set with fchmod, so a permissive umask cannot widen it:
// archives hold DKIM keys and credentials.
#pragma once

#include "core/io/fd.hpp"
#include "core/io/fd_sink.hpp"

#include <sys/types.h>

#include <filesystem>

namespace pbk::core::io {

// `replace`: commit() replaces an existing file, and a stale .partial is truncated (files
// rewritten in place, such as a metrics file). `exclusive`: the .partial must not exist (two
// writers never share it; a killed run's leftover is reported) and commit() never replaces
// an existing file (archives).
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
  Fd m_fd;
  FdSink m_sink;
  Overwrite m_overwrite;
  bool m_committed = false;
};

} // namespace pbk::core::io
