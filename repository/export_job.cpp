// SPDX-License-Identifier: MIT
#include "repository/export_job.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_output.hpp"
#include "archive/archive_scanner.hpp"
#include "archive/member_store.hpp"
#include "repository/retention_policy.hpp"

#include "core/error.hpp"
#include "core/hash/hashing_source.hpp"
#include "core/interrupt.hpp"
#include "core/tar/tar_writer.hpp"

#include <cerrno>
#include <chrono>
#include <system_error>

namespace pbk::repository {
namespace {

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw core::IntegrityError(label + ": " + what,
                             {"the backup is damaged or changed while it was read, and the copy "
                              "was not completed; run verify on the backup, and export another "
                              "one"});
}

// The second pass must read what the first one authenticated: a pipe cannot be read twice,
// and opening a FIFO or a device would block or never end.
void check_backup_is_a_file(const std::string& backup) {
  if (backup == "-") {
    throw core::Error(core::ExitCode::usage,
                      "export cannot read a backup from standard input: it reads the backup "
                      "twice (once to authenticate it, once to copy it)",
                      {"save the stream to a file first, then export that file"});
  }
  std::error_code ec;
  const auto status = std::filesystem::status(backup, ec);
  if (!ec && status.type() != std::filesystem::file_type::regular) {
    throw core::Error(core::ExitCode::usage,
                      backup + " is not a regular file: export reads the backup twice",
                      {"save it to a file first, then export that file"});
  }
  // A missing backup is reported by the scanner that opens it, as every command does.
}

// As create --output: an existing file is never replaced, least of all the backup itself.
void check_output(const ExportOptions& options) {
  if (options.output == "-") {
    return;
  }
  std::error_code ec;
  if (std::filesystem::equivalent(options.backup, options.output, ec)) {
    throw core::Error(core::ExitCode::usage,
                      "--output " + options.output + " is the backup being exported",
                      {"write the copy to another file"});
  }
  if (std::filesystem::exists(std::filesystem::symlink_status(options.output, ec))) {
    throw core::Error(core::ExitCode::usage,
                      "output file " + options.output + " already exists; not overwriting it",
                      {"choose another --output"});
  }
}

std::unique_ptr<archive::ArchiveOutput> open_output(const std::string& output) {
  if (output == "-") {
    return archive::ArchiveOutput::to_stdout();
  }
  try {
    return archive::ArchiveOutput::to_file(output);
  } catch (const core::IoError& e) {
    if (e.err() != EEXIST || !e.hints().empty()) {
      throw;
    }
    throw core::IoError(e.what(),
                        e.err(),
                        {"another export is writing this file, or a killed one left its "
                         ".partial: remove the .partial if no export is running"});
  }
}

// create stamps every member with the snapshot's time: the same here, so that a full archive
// exports to the very bytes it holds.
std::int64_t member_mtime(const archive::BackupInfo& info) {
  const auto created = parse_iso8601_utc(info.created_at);
  return created ? static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(*created)) : 0;
}

std::uint64_t stored_total(const archive::Manifest& manifest) {
  std::uint64_t total = 0;
  for (const auto& record : manifest.members) {
    total += record.size;
  }
  return total;
}

// Copies backup.json or a data member, held to the manifest's record of it as it streams.
void copy_member(core::tar::TarWriter& tar,
                 archive::ArchiveScanner& scanner,
                 const core::tar::TarMember& member,
                 const archive::MemberRecord& record,
                 std::int64_t mtime) {
  const auto& label = scanner.label();
  if (member.path != record.path) {
    fail(label,
         "member " + member.path + " is not the one manifest.json lists next (" + record.path
             + "): members were added, dropped or reordered");
  }
  if (member.size < 0 || static_cast<std::uint64_t>(member.size) != record.size) {
    fail(label,
         "member " + member.path + " is " + std::to_string(member.size)
             + " bytes; manifest.json records " + std::to_string(record.size));
  }
  core::hash::HashingSource stored(scanner.member_data());
  tar.add_member(member.path, record.size, mtime, stored);
  if (stored.hex_digest() != record.sha256) {
    fail(label, "member " + member.path + " does not match its SHA-256 in manifest.json");
  }
}

// The second pass: every member in order, then manifest.json, which must be the very text the
// first pass authenticated. Returns the members copied.
std::uint64_t copy_members(archive::ArchiveScanner& scanner,
                           const archive::AuthenticArchive& authentic,
                           core::tar::TarWriter& tar,
                           core::Reporter& reporter) {
  const auto& label = scanner.label();
  const auto& records = authentic.manifest.members;
  const auto mtime = member_mtime(authentic.info);
  const auto total = stored_total(authentic.manifest);
  std::uint64_t done = 0;
  std::size_t index = 0;
  while (const auto member = scanner.next()) {
    core::throw_if_interrupted();
    if (index > records.size()) {
      fail(label, "member " + member->path + " follows manifest.json, which must be last");
    }
    if (index < records.size() && member->path == archive::k_manifest_member) {
      fail(label, "member " + records[index].path + " listed in manifest.json is missing");
    }
    if (index == records.size()) {
      if (member->path != archive::k_manifest_member) {
        fail(label, "member " + member->path + " is not listed in manifest.json");
      }
      const auto text = scanner.read_text();
      if (text != authentic.manifest_text) {
        fail(label, "manifest.json is not the one authenticated before the copy began");
      }
      tar.add_member(archive::k_manifest_member, core::io::bytes_of(text), mtime);
    } else {
      copy_member(tar, scanner, *member, records[index], mtime);
      done += records[index].size;
      reporter.progress({done, total, false, member->path});
    }
    ++index;
  }
  if (index < records.size()) {
    fail(label, "member " + records[index].path + " listed in manifest.json is missing");
  }
  if (index == records.size()) {
    fail(label, "no manifest.json: the backup changed while it was read");
  }
  return index;
}

} // namespace

// How long export waits for a prune holding the repository's lock (docs/operations.md).
constexpr std::chrono::seconds k_lock_wait{600};

ExportReport export_backup(const ExportOptions& options, core::Reporter& reporter) {
  const auto started = std::chrono::steady_clock::now();
  check_backup_is_a_file(options.backup);
  check_output(options);
  const auto public_key = archive::load_public_key(options.public_key);
  // A backup in a repository: its stored members must not be pruned while they are copied.
  std::optional<core::io::FileLock> lock;
  const auto directory = std::filesystem::path(options.backup).parent_path();
  if (const auto store = archive::MemberStore::open_existing(directory.empty() ? "." : directory)) {
    lock = archive::lock_repository(*store, core::io::LockMode::shared, k_lock_wait, [&] {
      reporter.info("waiting for a prune of " + directory.string() + " (its lock is held)");
    });
  }
  archive::ArchiveScanner scanner(options.backup);
  // Before the first pass: a refused output fails at once, not after reading the backup.
  auto output = open_output(options.output);
  const auto authentic =
      archive::read_authentic(scanner, options.secret, archive::KeyUse::optional, public_key);
  scanner.rewind();
  ExportReport report;
  {
    core::tar::TarWriter tar(output->sink());
    report.members = copy_members(scanner, authentic, tar, reporter);
    core::throw_if_interrupted(); // a signal after the last member still means "keep nothing"
    tar.close();
  }
  output->commit();
  report.info = authentic.info;
  report.manifest = authentic.manifest;
  report.location = output->location();
  report.bytes = output->bytes();
  report.sha256 = output->sha256();
  report.encrypted = authentic.info.encryption.has_value();
  report.hmac_checked = authentic.hmac_checked;
  report.signature_checked = authentic.signature_checked;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

} // namespace pbk::repository
