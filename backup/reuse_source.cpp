// SPDX-License-Identifier: MIT
#include "backup/reuse_source.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_info.hpp"
#include "archive/archive_key.hpp"
#include "archive/archive_scanner.hpp"
#include "archive/member_store.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/io/directory.hpp"

#include <algorithm>
#include <chrono>

namespace pbk::backup {
namespace {

struct Candidate {
  std::string created_at;
  std::string name;
};

// Complete backups of the directory, newest first by the date their backup.json gives. A date
// in the future is not believed (a planted file must not become the source of every later
// backup); the manifest's authentication below is what makes the chosen one trustworthy.
std::vector<Candidate> candidates(const std::filesystem::path& directory) {
  const auto latest =
      core::iso8601_utc(std::chrono::system_clock::now() + std::chrono::minutes(10));
  std::vector<Candidate> found;
  for (const auto& entry : core::io::Directory::open(directory).list()) {
    if (!entry.regular || !entry.name.ends_with(".tar")) {
      continue;
    }
    try {
      const auto info = archive::read_backup_info((directory / entry.name).string());
      if (info.created_at <= latest) {
        found.push_back({info.created_at, entry.name});
      }
    } catch (const core::Error&) {
      continue; // not ours, or damaged: never a source
    }
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.created_at, a.name) > std::tie(b.created_at, b.name);
  });
  return found;
}

// The manifest, when every data member of the backup is kept in the store (a repository
// backup); nullopt for a full archive. `secret` is given only once it is known to be the
// backup's key.
std::optional<archive::AuthenticArchive>
read_repository_backup(const std::filesystem::path& path,
                       const std::optional<core::crypto::SecretBytes>& secret,
                       const std::optional<core::crypto::VerifyKey>& public_key) {
  archive::ArchiveScanner scanner(path.string());
  auto authentic = archive::read_authentic(scanner, secret, archive::KeyUse::optional, public_key);
  if (!scanner.stored_members_seen()) {
    return std::nullopt;
  }
  return authentic;
}

// Members sealed under one key can only be referenced by a backup sealed under the same key,
// and plain ones only by a plain backup: anything else would mix keys (or leave plain data in
// an "encrypted" backup). Usage errors: the operator chose the wrong key or directory.
void check_same_key(const std::string& name,
                    const archive::BackupInfo& info,
                    const std::optional<core::crypto::SecretBytes>& secret) {
  if (!info.encryption && secret) {
    throw core::Error(core::ExitCode::usage,
                      "the repository's backups are not encrypted (newest: " + name
                          + "), this one would be",
                      {"use another --output-dir for encrypted backups, or add --full to store "
                       "everything anew under the new key"});
  }
  if (!info.encryption) {
    return;
  }
  if (!secret) {
    throw core::Error(core::ExitCode::usage,
                      "the repository's backups are encrypted (newest: " + name
                          + "); an incremental backup must be sealed with the same key",
                      {"add --encrypt with the repository's --key-file or --passphrase-file"});
  }
  try {
    (void)archive::ArchiveKey::unlock(*secret, *info.encryption);
  } catch (const core::IntegrityError&) {
    throw core::Error(core::ExitCode::usage,
                      "the repository's backups are sealed with another key (newest: " + name + ")",
                      {"give the repository's key file or passphrase file, or add --full to "
                       "store everything anew under this key"});
  }
}

ReuseSource reuse_source_of(const std::string& name, const archive::AuthenticArchive& backup) {
  ReuseSource source;
  source.backup_name = name;
  source.encryption = backup.info.encryption;
  for (const auto& table : backup.manifest.tables) {
    if (table.proof && table.outcome == archive::TableOutcome::complete) {
      source.tables[{table.database, table.table}].record = table;
    }
  }
  for (const auto& member : backup.manifest.members) {
    const auto found = source.tables.find({member.database, member.table});
    if (found != source.tables.end()) {
      found->second.members.push_back(member);
    }
  }
  return source;
}

} // namespace

std::optional<ReuseSource>
read_reuse_source(const std::filesystem::path& directory,
                  const std::optional<core::crypto::SecretBytes>& secret,
                  const std::optional<core::crypto::VerifyKey>& public_key,
                  core::Reporter& reporter) {
  for (const auto& candidate : candidates(directory)) {
    const auto path = directory / candidate.name;
    try {
      auto backup = read_repository_backup(path, std::nullopt, public_key);
      if (!backup) {
        continue; // a full archive: its members are not in the store
      }
      check_same_key(candidate.name, backup->info, secret);
      if (secret) {
        backup = read_repository_backup(path, secret, public_key); // now with its HMAC
      }
      return reuse_source_of(candidate.name, *backup);
    } catch (const core::Error& e) {
      if (e.code() == core::ExitCode::interrupted || e.code() == core::ExitCode::usage) {
        throw;
      }
      reporter.warn("not reusing tables of " + candidate.name + ": " + e.what()
                    + "; they are stored again");
    }
  }
  return std::nullopt;
}

} // namespace pbk::backup
