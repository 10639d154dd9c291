// SPDX-License-Identifier: MIT
#include "archive/manifest_signature.hpp"

#include "archive/manifest_json.hpp"

#include "core/crypto/hex.hpp"
#include "core/error.hpp"

namespace pbk::archive {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw core::IntegrityError(label + ": " + what,
                             {"do not trust this archive: it is not the one the holder of "
                              "the signing key wrote"});
}

} // namespace

ManifestSignature signature_placeholder(const core::crypto::SigningKey& key) {
  return {"Ed25519", core::crypto::to_hex(key.public_key()), std::string(128, '0')};
}

void sign_manifest(std::string_view authenticated,
                   Manifest& manifest,
                   const core::crypto::SigningKey& key) {
  manifest.signature->signature = core::crypto::to_hex(key.sign(bytes_of(authenticated)));
}

void check_signature(std::string_view manifest_text,
                     const Manifest& manifest,
                     const core::crypto::VerifyKey& key,
                     const std::string& label) {
  const auto expected = core::crypto::key_fingerprint(key.public_key());
  if (!manifest.signature) {
    fail(label, "manifest.json is not signed, but --public-key " + expected + " was given");
  }
  if (manifest.signature->algorithm != "Ed25519") {
    fail(label, "manifest.json is signed with " + manifest.signature->algorithm + ", not Ed25519");
  }
  const auto recorded = signer_fingerprint(*manifest.signature);
  if (recorded != expected) {
    fail(label,
         "manifest.json is signed by key " + recorded + ", not by the --public-key " + expected);
  }
  const auto signature = core::crypto::from_hex(manifest.signature->signature);
  if (!signature || !key.verify(bytes_of(authenticated_text(manifest_text)), *signature)) {
    fail(label,
         "manifest.json's Ed25519 signature does not hold: the manifest was edited "
         "after it was signed");
  }
}

std::string signer_fingerprint(const ManifestSignature& signature) {
  const auto raw = core::crypto::from_hex(signature.public_key);
  return raw ? core::crypto::key_fingerprint(*raw) : "(not hex: " + signature.public_key + ")";
}

} // namespace pbk::archive
