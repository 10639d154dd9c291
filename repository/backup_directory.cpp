// SPDX-License-Identifier: MIT
#include "repository/backup_directory.hpp"

#include "archive/archive_scanner.hpp"
#include "archive/manifest_json.hpp"
#include "archive/manifest_signature.hpp"
#include "archive/member_store.hpp"
#include "repository/date_trust.hpp"
#include "repository/retention_policy.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/memory_sink.hpp"
#include "core/version_order.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <set>

namespace pbk::repository {
namespace {

constexpr std::string_view k_partial_suffix = ".partial";

bool is_partial_name(const std::string& name) {
  return name.size() > k_partial_suffix.size() && name.ends_with(k_partial_suffix);
}

// Reads backup.json; throws IntegrityError when the file is not one of ours.
std::string read_backup_json(archive::ArchiveScanner& scanner, BackupFile& file) {
  const auto first = scanner.next();
  if (!first || first->path != archive::k_backup_member) {
    throw core::IntegrityError("first member is not backup.json");
  }
  auto text = scanner.read_text();
  file.info = archive::parse_backup_info(text);
  return text;
}

struct Judging {
  const std::optional<core::crypto::VerifyKey>& public_key;
  core::SystemTime now;
};

void check_signature(const std::string& text,
                     const archive::Manifest& parsed,
                     const Judging& judging,
                     BackupFile& file) {
  if (!judging.public_key) {
    return;
  }
  try {
    archive::check_signature(text, parsed, *judging.public_key, file.name);
  } catch (const core::IntegrityError& e) {
    file.signature_error = e.what();
  }
}

void judge_date(const Judging& judging, BackupFile& file) {
  DateEvidence evidence;
  evidence.created_at = *parse_iso8601_utc(file.info->created_at);
  if (file.finished_at) {
    evidence.finished = parse_iso8601_utc(*file.finished_at);
  }
  evidence.modified = file.modified;
  evidence.named = time_in_file_name(file.name);
  file.untrusted_date = untrusted_date(evidence, judging.now);
}

// Why the archive is not complete, or empty when it is.
std::string check_manifest(archive::ArchiveScanner& scanner,
                           const std::string& backup_text,
                           const Judging& judging,
                           BackupFile& file) {
  while (const auto member = scanner.next()) {
    if (member->path != archive::k_manifest_member) {
      scanner.skip_member();
      continue;
    }
    const auto text = scanner.read_text();
    if (!archive::manifest_self_hash_matches(text)) {
      return "manifest.json does not match its own SHA-256";
    }
    const auto parsed = archive::parse_manifest(text);
    if (parsed.members.empty() || parsed.members.front().path != archive::k_backup_member
        || parsed.members.front().sha256 != core::hash::sha256_hex(backup_text)) {
      return "manifest.json does not record this archive's backup.json";
    }
    if (scanner.next()) {
      return "members follow manifest.json";
    }
    file.finished_at = parsed.finished_at;
    file.manifest_signed = parsed.signature.has_value();
    file.in_repository = scanner.stored_members_seen();
    for (const auto& record : parsed.members) {
      file.member_bytes += record.size;
      const bool data =
          record.kind == archive::MemberKind::schema || record.kind == archive::MemberKind::rows;
      if (file.in_repository && data) {
        file.stored_members[record.sha256] = record.size;
      }
    }
    check_signature(text, parsed, judging, file);
    return {};
  }
  return "no manifest.json: the archive is truncated or was never finished";
}

void judge_file(BackupFile& file, const Judging& judging, BackupDirectory& result) {
  if (is_partial_name(file.name)) {
    file.state = BackupState::in_progress;
    try {
      archive::ArchiveScanner scanner(file.path.string());
      (void)read_backup_json(scanner, file);
    } catch (const core::Error&) {
      file.info.reset(); // just created, or not ours: either way never touched
    }
    result.backups.push_back(std::move(file));
    return;
  }
  try {
    archive::ArchiveScanner scanner(file.path.string());
    const auto backup_text = read_backup_json(scanner, file);
    try {
      file.problem = check_manifest(scanner, backup_text, judging, file);
    } catch (const core::IntegrityError& e) {
      file.problem = e.what();
    }
    if (file.problem.empty() && !parse_iso8601_utc(file.info->created_at)) {
      file.problem = "backup.json created_at '" + file.info->created_at + "' is not a UTC time";
    }
    file.state = file.problem.empty() ? BackupState::complete : BackupState::incomplete;
    if (file.state == BackupState::complete) {
      judge_date(judging, file);
    }
    result.backups.push_back(std::move(file));
  } catch (const core::Error& e) {
    result.ignored.push_back({file.name, std::string("not a postal-backup archive: ") + e.what()});
  }
}

bool newer(const BackupFile& a, const BackupFile& b) {
  const bool a_running = a.state == BackupState::in_progress;
  const bool b_running = b.state == BackupState::in_progress;
  if (a_running != b_running) {
    return b_running;
  }
  const auto a_time = a.info ? a.info->created_at : std::string();
  const auto b_time = b.info ? b.info->created_at : std::string();
  // ISO 8601 UTC times of one fixed shape sort as text; within one second, the later
  // finished backup is the newer.
  if (a_time != b_time) {
    return a_time > b_time;
  }
  const auto a_end = a.finished_at.value_or("");
  const auto b_end = b.finished_at.value_or("");
  return a_end != b_end ? a_end > b_end : a.name > b.name;
}

} // namespace

const char* to_string(BackupState state) {
  switch (state) {
  case BackupState::complete:
    return "complete";
  case BackupState::incomplete:
    return "incomplete";
  case BackupState::in_progress:
    return "in_progress";
  }
  return "unknown";
}

BackupDirectory scan_backup_directory(const std::filesystem::path& directory,
                                      const std::optional<core::crypto::VerifyKey>& public_key) {
  const Judging judging{public_key, std::chrono::system_clock::now()};
  std::error_code error;
  std::filesystem::directory_iterator entries(directory, error);
  if (error) {
    throw core::IoError(
        core::describe_errno("cannot read directory " + directory.string(), error.value()),
        error.value());
  }
  std::set<std::filesystem::path> paths;
  for (const auto& entry : entries) {
    paths.insert(entry.path());
  }
  BackupDirectory result;
  for (const auto& path : paths) {
    if (path.filename() == archive::k_store_directory) {
      continue; // the repository's store (archive/member_store.hpp), not a backup
    }
    BackupFile file;
    file.path = path;
    file.name = path.filename().string();

    struct stat st {};

    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      result.ignored.push_back({file.name, "not a regular file"});
      continue;
    }
    file.size = static_cast<std::uint64_t>(st.st_size);
    file.device = st.st_dev;
    file.inode = st.st_ino;
    file.modified = core::SystemTime(std::chrono::duration_cast<core::SystemTime::duration>(
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
    judge_file(file, judging, result);
  }
  std::stable_sort(result.backups.begin(), result.backups.end(), newer);
  return result;
}

std::vector<std::string> message_levels(const archive::BackupInfo& info) {
  // Levels are numbers (backup.json's parser checked them): numeric order, then text.
  std::set<std::pair<int, std::string>> levels;
  for (const auto& database : info.databases) {
    if (database.role == archive::DatabaseRole::message) {
      levels.emplace(
          core::message_migration_number(database.schema_level, "database " + database.name),
          database.schema_level);
    }
  }
  std::vector<std::string> result;
  for (const auto& level : levels) {
    result.push_back(level.second);
  }
  return result;
}

} // namespace pbk::repository
