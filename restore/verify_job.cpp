// SPDX-License-Identifier: MIT
#include "restore/verify_job.hpp"

#include "restore/archive_walk.hpp"

#include <chrono>

namespace pbk::restore {

VerifyReport verify_archive(const std::string& path, core::Reporter& reporter) {
  const auto started = std::chrono::steady_clock::now();
  ArchiveScanner scanner(path);
  ArchiveWalk walk(scanner);
  VerifyReport report;
  report.info = walk.read_backup_info();
  report.manifest = walk.read_members([&](ArchiveScanner& s, const core::archive::TarMember& m) {
    auto observed = observe_member(s, m);
    report.stored_bytes += observed.size;
    reporter.progress(report.stored_bytes, 0, m.path);
    return observed;
  });
  report.members = walk.observed().size() + 1;
  for (const auto& table : report.manifest.tables) {
    report.raw_bytes += table.raw_size;
    report.rows += table.rows;
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

} // namespace pbk::restore
