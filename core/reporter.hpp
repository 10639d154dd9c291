// SPDX-License-Identifier: MIT
// How a job tells a person what it is doing, without knowing whether that person sees a
// terminal, a cron mail or nothing at all (--quiet). Jobs never print; the CLI decides.
#pragma once

#include <cstdint>
#include <string_view>

namespace pbk::core {

class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void info(std::string_view message) = 0;
  virtual void warn(std::string_view message) = 0;
  // `done` and `total` count raw data bytes; `total` is an estimate and may be exceeded.
  virtual void progress(std::uint64_t done, std::uint64_t total, std::string_view current) = 0;
};

class SilentReporter final : public Reporter {
public:
  void info(std::string_view) override {}

  void warn(std::string_view) override {}

  void progress(std::uint64_t, std::uint64_t, std::string_view) override {}
};

} // namespace pbk::core
