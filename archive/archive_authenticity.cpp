// SPDX-License-Identifier: MIT
#include "archive/archive_authenticity.hpp"

#include "archive/archive_key.hpp"
#include "archive/manifest_json.hpp"
#include "archive/manifest_signature.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "core/interrupt.hpp"
#include "core/io/memory_sink.hpp"

#include <cstdlib>

namespace pbk::archive {
namespace {

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw core::IntegrityError(label + ": " + what,
                             {"the archive is damaged or was altered: nothing was read from it; "
                              "restore from another copy"});
}

} // namespace

std::optional<std::filesystem::path>
required_public_key(const std::optional<std::filesystem::path>& given) {
  if (given) {
    return given;
  }
  const char* named = std::getenv(k_public_key_variable);
  if (named != nullptr && *named != '\0') {
    return std::filesystem::path(named);
  }
  return std::nullopt;
}

std::optional<core::crypto::VerifyKey>
load_public_key(const std::optional<std::filesystem::path>& path) {
  if (!path) {
    return std::nullopt;
  }
  return core::crypto::VerifyKey::load(*path);
}

void authenticate_manifest(const std::string& manifest_text,
                           const archive::Manifest& manifest,
                           const std::string& backup_sha256,
                           const MemberOpener& opener,
                           const std::optional<core::crypto::VerifyKey>& public_key,
                           const std::string& label) {
  if (!archive::manifest_self_hash_matches(manifest_text)) {
    fail(label, "manifest.json does not match its own checksum: it was edited or damaged");
  }
  if (opener.can_open()) {
    opener.key().check_manifest(manifest_text, manifest, label);
  }
  if (public_key) {
    archive::check_signature(manifest_text, manifest, *public_key, label);
  }
  if (manifest.members.empty() || manifest.members.front().path != archive::k_backup_member
      || manifest.members.front().sha256 != backup_sha256) {
    fail(label, "backup.json is not the one manifest.json records: it was replaced or edited");
  }
}

AuthenticArchive read_authentic(ArchiveScanner& scanner,
                                const std::optional<core::crypto::SecretBytes>& secret,
                                KeyUse use,
                                const std::optional<core::crypto::VerifyKey>& public_key) {
  AuthenticArchive archive;
  const auto first = scanner.next();
  if (!first || first->path != archive::k_backup_member) {
    fail(scanner.label(), "first member is not backup.json: not a postal-backup archive");
  }
  const auto backup_text = scanner.read_text();
  archive.info = archive::parse_backup_info(backup_text);
  const auto opener = MemberOpener::for_archive(archive.info, secret, use);
  archive.members = 1;
  std::optional<std::string> manifest_text;
  while (const auto member = scanner.next()) {
    core::throw_if_interrupted();
    ++archive.members;
    if (manifest_text) {
      fail(scanner.label(),
           "member " + member->path + " follows manifest.json, which must be last");
    }
    if (member->path == archive::k_manifest_member) {
      manifest_text = scanner.read_text();
    } else {
      scanner.skip_member();
    }
  }
  if (!manifest_text) {
    fail(scanner.label(),
         "no manifest.json: the archive is truncated or the backup never finished");
  }
  archive.manifest = archive::parse_manifest(*manifest_text);
  authenticate_manifest(*manifest_text,
                        archive.manifest,
                        core::hash::sha256_hex(backup_text),
                        opener,
                        public_key,
                        scanner.label());
  archive.manifest_text = std::move(*manifest_text);
  archive.signature_checked = public_key.has_value();
  archive.hmac_checked = opener.can_open();
  return archive;
}

} // namespace pbk::archive
