// SPDX-License-Identifier: MIT
#include "archive/archive_key.hpp"
#include "archive/manifest_json.hpp"

#include "core/crypto/secret_bytes.hpp"
#include "core/error.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/unit_test.hpp>

namespace archive = pbk::archive;
using pbk::core::crypto::SecretBytes;

namespace {

SecretBytes secret(std::string_view text) {
  return SecretBytes(pbk::test::as_bytes(text));
}

archive::Manifest small_manifest() {
  archive::Manifest m;
  m.finished_at = "2026-11-25T03:00:00Z";
  m.members.push_back(
      {"backup.json", archive::MemberKind::backup_info, "", "", 10, 10, 0, "ab", {}});
  m.members.push_back({"postal/t/schema.sql.zst.sealed",
                       archive::MemberKind::schema,
                       "postal",
                       "t",
                       5,
                       9,
                       0,
                       "cd",
                       {}});
  return m;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ArchiveKey)

// Lost if broken: restore would start loading with the wrong key and fail deep inside the
// first member, or worse, a wrong key would not be recognised as such.
BOOST_AUTO_TEST_CASE(key_check_tells_the_right_key_from_a_wrong_one) {
  archive::EncryptionInfo info;
  const auto created = archive::ArchiveKey::create(secret("correct horse"), info);
  BOOST_TEST(info.salt.size() == 32u);
  BOOST_TEST(info.key_check.size() == 64u);
  const auto unlocked = archive::ArchiveKey::unlock(secret("correct horse"), info);
  BOOST_TEST(
      (std::vector(unlocked.seal_key().bytes().begin(), unlocked.seal_key().bytes().end())
       == std::vector(created.seal_key().bytes().begin(), created.seal_key().bytes().end())));
  try {
    (void)archive::ArchiveKey::unlock(secret("battery staple"), info);
    BOOST_ERROR("a wrong passphrase unlocked the archive");
  } catch (const pbk::core::IntegrityError& e) {
    BOOST_TEST(std::string(e.what()) == "the key does not open this archive (key check mismatch)");
  }
}

// Lost if broken: two archives made with one key file would share a sealing key, and members
// of last night's archive could be swapped into tonight's.
BOOST_AUTO_TEST_CASE(every_archive_gets_its_own_salt_and_keys) {
  archive::EncryptionInfo a;
  archive::EncryptionInfo b;
  (void)archive::ArchiveKey::create(secret("k"), a);
  (void)archive::ArchiveKey::create(secret("k"), b);
  BOOST_TEST(a.salt != b.salt);
  BOOST_TEST(a.key_check != b.key_check);
}

// Lost if broken: someone with write access to the backup store could drop rows members from
// an encrypted archive, fix the manifest's checksum, and a restore would load fewer rows.
BOOST_AUTO_TEST_CASE(manifest_hmac_catches_an_edited_manifest) {
  archive::EncryptionInfo info;
  const auto key = archive::ArchiveKey::create(secret("k"), info);
  auto m = small_manifest();
  m.manifest_hmac.emplace();
  const auto text =
      archive::serialize(m, [&](std::string_view authenticated, archive::Manifest& out) {
        out.manifest_hmac = key.manifest_hmac(authenticated);
      });
  BOOST_CHECK_NO_THROW(key.check_manifest(text, archive::parse_manifest(text), "x.tar"));

  auto edited = archive::parse_manifest(text);
  edited.members.pop_back(); // the attacker rewrites the manifest and its self-hash
  const auto forged_text = archive::serialize(edited);
  BOOST_TEST(archive::manifest_self_hash_matches(forged_text));
  BOOST_CHECK_THROW(key.check_manifest(forged_text, archive::parse_manifest(forged_text), "x.tar"),
                    pbk::core::IntegrityError);

  auto stripped = archive::parse_manifest(text);
  stripped.manifest_hmac.reset();
  const auto stripped_text = archive::serialize(stripped);
  BOOST_CHECK_THROW(
      key.check_manifest(stripped_text, archive::parse_manifest(stripped_text), "x.tar"),
      pbk::core::IntegrityError);
}

// Lost if broken: `tar -tf` would no longer show the table layout of an encrypted archive,
// or restore would not recognise a sealed schema member.
BOOST_AUTO_TEST_CASE(sealed_paths_keep_the_layout) {
  BOOST_TEST(archive::sealed_path("postal/t/rows-000001.tsv.zst")
             == "postal/t/rows-000001.tsv.zst.sealed");
  BOOST_TEST(archive::unsealed_path("postal/t/schema.sql.zst.sealed") == "postal/t/schema.sql.zst");
  BOOST_TEST(archive::unsealed_path("postal/t/schema.sql.zst") == "postal/t/schema.sql.zst");
  BOOST_TEST(!archive::is_sealed_path("backup.json"));
}

BOOST_AUTO_TEST_SUITE_END()
