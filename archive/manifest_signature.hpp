// SPDX-License-Identifier: MIT
// Ed25519 signatures of manifest.json (docs/format.md, "Signature"). The signature covers the
// manifest's authenticated text, and through the SHA-256 of every member listed there, the
// whole archive: who holds the public key can prove who wrote it. The signer's public key is
// stored beside the signature and is itself signed; a check against the operator's own copy of
// the key is what proves authorship.
#pragma once

#include "archive/manifest.hpp"

#include "core/crypto/ed25519.hpp"

#include <string>
#include <string_view>

namespace pbk::archive {

// The signature record with `key`'s public key and a placeholder signature.
[[nodiscard]] ManifestSignature signature_placeholder(const core::crypto::SigningKey& key);
// Fills manifest.signature->signature from the authenticated text.
void sign_manifest(std::string_view authenticated,
                   Manifest& manifest,
                   const core::crypto::SigningKey& key);
// Throws IntegrityError when the manifest is unsigned, signed by another key, or its
// signature does not hold.
void check_signature(std::string_view manifest_text,
                     const Manifest& manifest,
                     const core::crypto::VerifyKey& key,
                     const std::string& label);
// The fingerprint (SHA-256 of the raw public key, hex) of the key that signed, as recorded.
[[nodiscard]] std::string signer_fingerprint(const ManifestSignature& signature);

} // namespace pbk::archive
