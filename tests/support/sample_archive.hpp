// SPDX-License-Identifier: MIT
// The archive `postal-backup create` makes of a Postal sample, as most suites start.
#pragma once

#include "tests/support/postal_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <filesystem>

namespace pbk::test {

// `create --output ARCHIVE --quiet` of `sample`; the test stops unless it succeeds.
void create_archive(const PostalSample& sample, const std::filesystem::path& archive);

// A sample of `spec` on the test server and its archive, for a suite to share (suite_shared).
struct SampleArchive {
  explicit SampleArchive(const SampleSpec& spec);

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "backup.tar";
};

} // namespace pbk::test
