// SPDX-License-Identifier: MIT
// How a job tells a person what it is doing, without knowing whether that person sees a
// terminal, a cron mail or nothing at all (--quiet). Jobs never print; the CLI decides.
#pragma once

#include <cstdint>
#include <string_view>

namespace pbk::core {

// How far a job is, in bytes. A total read from the archive (its manifest, its file size) is
// exact; a backup's total comes from the server's table statistics, which only estimate.
struct Progress {
  std::uint64_t done = 0;
  std::uint64_t total = 0;  // 0: not known
  bool estimated = false;   // `total` is an estimate: `done` may end below or above it
  std::string_view current; // what is being worked on (a table, a member)
};

class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void info(std::string_view message) = 0;
  virtual void warn(std::string_view message) = 0;
  virtual void progress(const Progress& progress) = 0;
};

class SilentReporter final : public Reporter {
public:
  void info(std::string_view) override {}

  void warn(std::string_view) override {}

  void progress(const Progress&) override {}
};

} // namespace pbk::core
