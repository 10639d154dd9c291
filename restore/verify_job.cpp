// SPDX-License-Identifier: MIT
#include "restore/verify_job.hpp"

#include "core/compress/zstd_decompress_sink.hpp"
#include "core/error.hpp"
#include "core/hash/hashing_sink.hpp"
#include "core/hash/sha256.hpp"
#include "core/interrupt.hpp"
#include "core/io/counting_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "manifest/manifest_json.hpp"
#include "restore/archive_scanner.hpp"
#include "restore/member_check.hpp"

#include <chrono>
#include <optional>

namespace pbk::restore {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size()
         && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

ObservedMember observe_text(const std::string& path, const std::string& text) {
  return {path, text.size(), text.size(), 0, core::hash::sha256_hex(text)};
}

ObservedMember observe_data(ArchiveScanner& scanner, const std::string& path) {
  core::io::NullSink discard;
  core::io::CountingSink counting(discard);
  std::optional<core::compress::ZstdDecompressSink> decompress;
  core::io::ByteSink* after_hash = &counting;
  if (ends_with(path, ".zst")) {
    decompress.emplace(counting, scanner.label() + ": member " + path);
    after_hash = &*decompress;
  }
  core::hash::HashingSink hashing(*after_hash);
  scanner.copy_to(hashing);
  hashing.finish();
  return {path, hashing.bytes(), counting.bytes(), counting.newlines(), hashing.hex_digest()};
}

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw core::IntegrityError(label + ": " + what,
                             {"the archive is incomplete or damaged: restore from another copy"});
}

} // namespace

VerifyReport verify_archive(const std::string& path, core::Reporter& reporter) {
  const auto started = std::chrono::steady_clock::now();
  ArchiveScanner scanner(path);
  const std::string& label = scanner.label();
  VerifyReport report;
  std::vector<ObservedMember> observed;
  std::optional<std::string> manifest_text;
  while (const auto member = scanner.next()) {
    core::throw_if_interrupted();
    if (manifest_text) {
      fail(label, "member " + member->path + " follows manifest.json, which must be last");
    }
    if (observed.empty() && member->path != manifest::k_backup_member) {
      fail(label,
           "first member is " + member->path
               + ", not backup.json: not a postal-backup "
                 "archive");
    }
    if (member->path == manifest::k_backup_member && observed.empty()) {
      const std::string text = scanner.read_text();
      report.info = manifest::parse_backup_info(text);
      observed.push_back(observe_text(member->path, text));
    } else if (member->path == manifest::k_manifest_member) {
      manifest_text = scanner.read_text();
    } else {
      observed.push_back(observe_data(scanner, member->path));
      report.stored_bytes += observed.back().size;
      reporter.progress(report.stored_bytes, 0, member->path);
    }
  }
  if (observed.empty()) {
    fail(label, "the archive holds no members: not a postal-backup archive");
  }
  if (!manifest_text) {
    fail(label,
         "no manifest.json after " + observed.back().path
             + ": the archive is truncated or the backup never finished");
  }
  if (!manifest::manifest_self_hash_matches(*manifest_text)) {
    fail(label, "manifest.json does not match its own checksum: it was edited or damaged");
  }
  report.manifest = manifest::parse_manifest(*manifest_text);
  check_members(observed, report.manifest, label);
  check_tables(report.info, report.manifest, label);
  report.members = observed.size() + 1;
  for (const auto& table : report.manifest.tables) {
    report.raw_bytes += table.raw_size;
    report.rows += table.rows;
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

} // namespace pbk::restore
