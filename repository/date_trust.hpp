// SPDX-License-Identifier: MIT
// Whether a backup's created_at can be believed. A prune decides what to delete from dates, so
// a date it cannot believe must decide nothing: an archive dated in the future (planted, or
// written by a host whose clock is wrong) would otherwise take every daily, weekly and monthly
// slot and push every real backup out. A date is not believed when it lies in the future by
// more than the clock skew allowed, or when the file's own evidence contradicts it: the time
// in its name (create names files after created_at), its manifest's finished_at, or its
// modification time (written after the snapshot, so never long before it).
#pragma once

#include "core/clock.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pbk::repository {

// How far clocks may disagree before a date counts as contradicted (docs/operations.md).
inline constexpr std::chrono::minutes k_clock_skew{10};

struct DateEvidence {
  core::SystemTime created_at;              // backup.json
  std::optional<core::SystemTime> finished; // manifest.json finished_at
  std::optional<core::SystemTime> modified; // the file's mtime
  std::optional<core::SystemTime> named;    // the time in the file's name
};

// Why created_at cannot be believed at `now` ("created_at 2031-01-01T00:00:00Z is in the
// future"), or nullopt when it can.
[[nodiscard]] std::optional<std::string> untrusted_date(const DateEvidence& evidence,
                                                        core::SystemTime now);

// The first compact UTC time ("20261125T030000Z") in a file name, as create writes it.
[[nodiscard]] std::optional<core::SystemTime> time_in_file_name(std::string_view name);

} // namespace pbk::repository
