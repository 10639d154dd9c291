// SPDX-License-Identifier: MIT
// A fresh private directory under $TMPDIR (or /tmp) for one test, removed with everything in
// it when the object goes out of scope.
#pragma once

#include <filesystem>

namespace pbk::test {

class TempDir {
public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

  [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& name) const {
    return m_path / name;
  }

private:
  std::filesystem::path m_path;
};

} // namespace pbk::test
