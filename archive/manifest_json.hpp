// SPDX-License-Identifier: MIT
// JSON text of backup.json and manifest.json, both ways. Parsing is strict: a member that is
// not what the format says is an IntegrityError naming the member and the field.
//
// The manifest's self-hash: manifest.json ends with the key "manifest_sha256"; its value is
// the SHA-256 of the member's exact bytes with that value replaced by 64 '0' characters.
// The *authenticated text* is the member's bytes with the values of manifest_sha256,
// manifest_hmac and signature.signature all replaced by '0's: the HMAC and the signature are
// computed over it, so each of the three can be checked without the others.
#pragma once

#include "archive/manifest.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace pbk::archive {

[[nodiscard]] nlohmann::ordered_json to_json(const BackupInfo& info);
[[nodiscard]] std::string serialize(const BackupInfo& info);
[[nodiscard]] BackupInfo parse_backup_info(std::string_view text);

[[nodiscard]] nlohmann::ordered_json to_json(const Manifest& manifest);
// Fills manifest.manifest_hmac and manifest.signature (already present, any value) from the
// authenticated text.
using ManifestAuthenticator = std::function<void(std::string_view authenticated, Manifest&)>;
// Fills in manifest_sha256 (and, through `authenticate`, the HMAC and signature; without it
// their values are written as they are) and returns the member's bytes.
[[nodiscard]] std::string serialize(Manifest& manifest,
                                    const ManifestAuthenticator& authenticate = {});
// The authenticated text of a manifest.json member (see above).
[[nodiscard]] std::string authenticated_text(std::string_view manifest_text);
[[nodiscard]] Manifest parse_manifest(std::string_view text);
// Recomputes the self-hash of a manifest.json text; false when it does not match.
[[nodiscard]] bool manifest_self_hash_matches(std::string_view text);

[[nodiscard]] MemberKind member_kind_from_string(std::string_view text);

} // namespace pbk::archive
