// SPDX-License-Identifier: MIT
#include "restore/verify_job.hpp"

#include "core/crypto/ed25519.hpp"
#include "manifest/archive_key.hpp"
#include "manifest/manifest_signature.hpp"
#include "manifest/member_path.hpp"
#include "restore/archive_walk.hpp"
#include "restore/member_check_pool.hpp"
#include "restore/restorable_check.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace pbk::restore {
namespace {

unsigned default_workers() {
  return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

// A table member is checked as restore would take it; a config member only for integrity.
ObservedMember check_member(RestorableCheck& restorable,
                            MemberCheckPool& pool,
                            const ArchiveWalk& walk,
                            ArchiveScanner& scanner,
                            const core::archive::TarMember& member) {
  const auto index = walk.observed().size();
  if (manifest::config_file_name(manifest::unsealed_path(member.path))) {
    return pool.submit(scanner, member, index);
  }
  const auto mapped = restorable.map(member.path, scanner.label() + ": member " + member.path);
  if (mapped.kind == MemberMapping::Kind::schema) {
    if (auto observed = restorable.check_schema(scanner, member, *mapped.table, walk.opener())) {
      return std::move(*observed);
    }
    return pool.submit(scanner, member, index);
  }
  return pool.submit(scanner, member, index, restorable.columns(*mapped.table));
}

} // namespace

VerifyReport verify_archive(const std::string& path, core::Reporter& reporter) {
  VerifyOptions options;
  options.archive = path;
  return verify_archive(options, reporter);
}

VerifyReport verify_archive(const VerifyOptions& options, core::Reporter& reporter) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<core::crypto::VerifyKey> public_key;
  if (options.public_key) {
    public_key = core::crypto::VerifyKey::load(*options.public_key); // a bad file fails first
  }
  ArchiveScanner scanner(options.archive);
  ArchiveWalk walk(scanner);
  VerifyReport report;
  report.info = walk.read_backup_info();
  walk.set_opener(MemberOpener::for_archive(report.info, options.secret, KeyUse::optional));
  report.encrypted = walk.opener().encrypted();
  report.contents_opened = !report.encrypted || walk.opener().can_open();
  MemberCheckPool pool(walk.opener(), options.workers != 0 ? options.workers : default_workers());
  RestorableCheck restorable(report.info, scanner.label());
  report.manifest = walk.read_members(
      [&](ArchiveScanner& s, const core::archive::TarMember& m) {
        auto observed = check_member(restorable, pool, walk, s, m);
        report.stored_bytes += observed.size;
        reporter.progress(report.stored_bytes, 0, m.path);
        return observed;
      },
      [&](std::vector<ObservedMember>& observed) { pool.settle(observed); });
  if (report.manifest.signature) {
    report.signer = manifest::signer_fingerprint(*report.manifest.signature);
  }
  if (public_key) {
    manifest::check_signature(walk.manifest_text(), report.manifest, *public_key, scanner.label());
    report.signature_checked = true;
  }
  check_config_total(report.manifest, scanner.label());
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
