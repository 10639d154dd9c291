// SPDX-License-Identifier: MIT
#include "verify/verify_job.hpp"

#include "archive/archive_key.hpp"
#include "archive/archive_walk.hpp"
#include "archive/manifest_signature.hpp"
#include "archive/member_path.hpp"
#include "verify/member_check_pool.hpp"
#include "verify/restorable_check.hpp"

#include "core/crypto/ed25519.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

namespace pbk::verify {
namespace {

unsigned default_workers() {
  return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

// A table member is checked as restore would take it; a config member only for integrity.
archive::ObservedMember check_member(RestorableCheck& restorable,
                                     MemberCheckPool& pool,
                                     const archive::ArchiveWalk& walk,
                                     archive::ArchiveScanner& scanner,
                                     const core::tar::TarMember& member) {
  const auto index = walk.observed().size();
  if (archive::config_file_name(archive::unsealed_path(member.path))) {
    return pool.submit(scanner, member, index);
  }
  const auto mapped = restorable.map(member.path, scanner.label() + ": member " + member.path);
  if (mapped.kind == archive::MemberMapping::Kind::schema) {
    if (auto observed = restorable.check_schema(scanner, member, *mapped.table, walk.opener())) {
      return std::move(*observed);
    }
    return pool.submit(scanner, member, index);
  }
  return pool.submit(scanner, member, index, restorable.columns(*mapped.table));
}

// The progress line's total: the archive file's size (0 for a pipe), which its members, each a
// 512-byte header and its data padded to 512 bytes, fill.
constexpr std::uint64_t k_tar_block = 512;

std::uint64_t archive_file_size(const std::string& path) {
  std::error_code ec;
  const auto size = path == "-" ? 0 : std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
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
  archive::ArchiveScanner scanner(options.archive);
  archive::ArchiveWalk walk(scanner);
  VerifyReport report;
  report.info = walk.read_backup_info();
  walk.set_opener(
      archive::MemberOpener::for_archive(report.info, options.secret, archive::KeyUse::optional));
  report.encrypted = walk.opener().encrypted();
  report.contents_opened = !report.encrypted || walk.opener().can_open();
  MemberCheckPool pool(walk.opener(), options.workers != 0 ? options.workers : default_workers());
  RestorableCheck restorable(report.info, scanner.label());
  const auto file_size = archive_file_size(options.archive);
  std::uint64_t file_read = 0;
  report.manifest = walk.read_members(
      [&](archive::ArchiveScanner& s, const core::tar::TarMember& m) {
        auto observed = check_member(restorable, pool, walk, s, m);
        report.stored_bytes += observed.size;
        file_read += k_tar_block + (observed.size + k_tar_block - 1) / k_tar_block * k_tar_block;
        reporter.progress({std::min(file_read, file_size), file_size, false, m.path});
        return observed;
      },
      [&](std::vector<archive::ObservedMember>& observed) { pool.settle(observed); });
  if (report.manifest.signature) {
    report.signer = archive::signer_fingerprint(*report.manifest.signature);
  }
  if (public_key) {
    archive::check_signature(walk.manifest_text(), report.manifest, *public_key, scanner.label());
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

} // namespace pbk::verify
