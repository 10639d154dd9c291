// SPDX-License-Identifier: MIT
#include "archive/manifest_json.hpp"
#include "archive/manifest_signature.hpp"

#include "core/crypto/ed25519.hpp"
#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

namespace archive = pbk::archive;
namespace crypto = pbk::core::crypto;

namespace {

std::string signed_text(const crypto::SigningKey& key, archive::Manifest m = {}) {
  m.finished_at = "2026-11-25T03:00:00Z";
  m.members.push_back(
      {"backup.json", archive::MemberKind::backup_info, "", "", 10, 10, 0, "ab", {}});
  m.signature = archive::signature_placeholder(key);
  return archive::serialize(m, [&](std::string_view text, archive::Manifest& out) {
    archive::sign_manifest(text, out, key);
  });
}

crypto::VerifyKey public_of(const crypto::SigningKey& key) {
  return crypto::VerifyKey::from_raw(key.public_key());
}

void expect_refused(const std::string& text, const crypto::VerifyKey& key, const char* fragment) {
  try {
    archive::check_signature(text, archive::parse_manifest(text), key, "x.tar");
    BOOST_ERROR("signature check passed");
  } catch (const pbk::core::IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos, e.what());
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(ManifestSignature)

// Lost if broken: `verify --public-key` would reject the operator's own signed archives.
BOOST_AUTO_TEST_CASE(signed_manifest_verifies_and_names_its_signer) {
  const auto key = crypto::SigningKey::generate();
  const auto text = signed_text(key);
  const auto parsed = archive::parse_manifest(text);
  BOOST_TEST(archive::manifest_self_hash_matches(text));
  BOOST_CHECK_NO_THROW(archive::check_signature(text, parsed, public_of(key), "x.tar"));
  BOOST_TEST(archive::signer_fingerprint(*parsed.signature)
             == crypto::key_fingerprint(key.public_key()));
}

// Lost if broken: an archive written by someone else (another key) would pass as ours.
BOOST_AUTO_TEST_CASE(another_key_is_refused) {
  const auto text = signed_text(crypto::SigningKey::generate());
  expect_refused(text, public_of(crypto::SigningKey::generate()), "not by the --public-key");
}

// Lost if broken: an attacker could edit the manifest (and its self-hash) and keep the
// signature, or strip the signature entirely.
BOOST_AUTO_TEST_CASE(edited_or_unsigned_manifest_is_refused) {
  const auto key = crypto::SigningKey::generate();
  auto parsed = archive::parse_manifest(signed_text(key));
  parsed.members[0].size = 11;
  const auto edited = archive::serialize(parsed); // keeps the old signature, new self-hash
  BOOST_TEST(archive::manifest_self_hash_matches(edited));
  expect_refused(edited, public_of(key), "does not hold");
  parsed.signature.reset();
  expect_refused(archive::serialize(parsed), public_of(key), "not signed");
}

BOOST_AUTO_TEST_SUITE_END()
