// SPDX-License-Identifier: MIT
// Encrypted and signed archives end to end on the real server: create --encrypt, verify with
// and without the key, inspect without it, a byte-identical restore with it; a wrong key, a
// flipped byte in a sealed member, a truncated archive, a dropped member; signing with
// verify --public-key against the right key, another key and an edited manifest.
#include "archive/manifest_json.hpp"

#include "core/error.hpp"
#include "tests/support/archive_members.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/zstd_text.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace pbk::test;
using Json = nlohmann::json;
using Members = ArchiveMembers;

namespace {

bool decompresses(const std::string& data) {
  try {
    (void)zstd_decompressed(data);
    return true;
  } catch (const pbk::core::Error&) {
    return false;
  }
}

void expect_exit(const CommandResult& result, int code, const std::string& fragment) {
  BOOST_TEST(result.exit_code == code, "exit " << result.exit_code << ": " << result.err);
  BOOST_TEST(result.err.find(fragment) != std::string::npos,
             "expected '" << fragment << "' in: " << result.err);
}

// One encrypted archive of a small Postal install, with its key and the source's checksums.
struct EncryptedArchive {
  EncryptedArchive()
      : source(test_server(), {"20210727210551", "20", 2, 30, 1, 17}) {
    replace_file(key, std::string(32, '\x5a') + "\x01\x02");
    replace_file(other_key, std::string(32, '\x33'));
    replace_file(passphrase, "correct horse battery staple\n");
    const auto created = create({"--encrypt", "--key-file", key.string()}, archive);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
    source_sums = sample_checksums(test_server(), source);
    auto connection = pbk::core::db::Connection::connect(test_server().root_options());
    secret_value = connection
                       .query_value("SELECT `key` FROM "
                                    + pbk::core::db::Connection::quote_identifier(source.main_db())
                                    + ".credentials LIMIT 1")
                       .value_or("");
  }

  [[nodiscard]] CommandResult create(std::vector<std::string> extra,
                                     const std::filesystem::path& out) const {
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", out.string(), "--quiet"});
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool(args);
  }

  PostalSample source;
  TempDir dir;
  std::filesystem::path archive = dir / "sealed.tar";
  std::filesystem::path key = dir / "key";
  std::filesystem::path other_key = dir / "other-key";
  std::filesystem::path passphrase = dir / "passphrase";
  InstallChecksums source_sums;
  std::string secret_value;
};

// The suite's archive and keys, read only; each case damages copies in a directory of its own.
struct EncryptedArchiveCase {
  [[nodiscard]] CommandResult create(std::vector<std::string> extra,
                                     const std::filesystem::path& out) const {
    return shared.create(std::move(extra), out);
  }

  [[nodiscard]] InstallChecksums source_as(const RestoreTarget& target) const {
    return as_restored_into(source_sums, source, target);
  }

  const EncryptedArchive& shared = suite_shared<EncryptedArchive>();
  const PostalSample& source = shared.source;
  const std::filesystem::path& archive = shared.archive;
  const std::filesystem::path& key = shared.key;
  const std::filesystem::path& other_key = shared.other_key;
  const std::filesystem::path& passphrase = shared.passphrase;
  const InstallChecksums& source_sums = shared.source_sums;
  const std::string& secret_value = shared.secret_value;
  TempDir dir;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(Encryption,
                         EncryptedArchiveCase,
                         *shared_by_suite<EncryptedArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: an encrypted backup could not be checked, read by the operator without
// its key, or restored to the same bytes: encryption would cost the backup itself.
BOOST_AUTO_TEST_CASE(create_verify_inspect_restore_round_trip) {
  const auto verified =
      run_tool({"verify", archive.string(), "--key-file", key.string(), "--json"});
  BOOST_TEST_REQUIRE(verified.exit_code == 0, verified.err);
  BOOST_TEST(Json::parse(verified.out).at("contents_checked") == true);
  BOOST_TEST(Json::parse(verified.out).at("rows").get<std::uint64_t>() > 0u);

  const auto stored_only = run_tool({"verify", archive.string()});
  BOOST_TEST(stored_only.exit_code == 0, stored_only.err);
  BOOST_TEST(stored_only.err.find("contents NOT opened") != std::string::npos, stored_only.err);

  const auto inspected = run_tool({"inspect", archive.string(), "--json"});
  BOOST_TEST_REQUIRE(inspected.exit_code == 0, inspected.err);
  const auto info = Json::parse(inspected.out);
  BOOST_TEST(info.at("encrypted") == true);
  BOOST_TEST(info.at("complete") == true);
  BOOST_TEST(info.at("databases").at(0).at("name") == source.main_db());
  BOOST_TEST(info.at("encryption").at("cipher") == "AES-256-GCM");

  RestoreTarget target(test_server(), std::nullopt);
  const auto refused = target.run("restore", {archive.string()});
  expect_exit(refused, 2, "the archive is encrypted: give --key-file or --passphrase-file");
  const auto restored =
      target.run("restore", {archive.string(), "--key-file", key.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
  BOOST_TEST(target.checksums() == source_as(target));
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: an off-site copy would leak mail data and DKIM keys to whoever holds it.
BOOST_AUTO_TEST_CASE(rows_are_not_readable_in_the_archive) {
  BOOST_TEST_REQUIRE(secret_value.size() > 8u);
  BOOST_TEST(file_contents(archive).find(secret_value) == std::string::npos);
  for (const auto& [path, data] : read_archive_members(archive)) {
    if (path == "backup.json" || path == "manifest.json") {
      BOOST_TEST(data.find(secret_value) == std::string::npos);
      continue;
    }
    BOOST_TEST(path.ends_with(".zst.sealed"), path);
    BOOST_TEST(!decompresses(data), path << " is readable without the key");
  }
}

// Lost if it failed: a wrong key would start a restore (or say nothing useful); the operator
// would not learn which of several keys belongs to the archive.
BOOST_AUTO_TEST_CASE(a_wrong_key_is_named_before_any_member_is_read) {
  const std::string message = "the key does not open this archive (key check mismatch)";
  expect_exit(run_tool({"verify", archive.string(), "--key-file", other_key.string()}), 4, message);
  expect_exit(
      run_tool({"verify", archive.string(), "--passphrase-file", passphrase.string()}), 4, message);
  expect_exit(
      run_tool({"inspect", archive.string(), "--key-file", other_key.string()}), 4, message);
  RestoreTarget target(test_server(), std::nullopt);
  const auto before = target.checksums();
  expect_exit(
      target.run("restore", {archive.string(), "--key-file", other_key.string()}), 4, message);
  BOOST_TEST(target.checksums() == before);
}

// Lost if it failed: a bit rotted in a sealed member would be restored, or the message would
// not say which member is damaged.
BOOST_AUTO_TEST_CASE(a_flipped_byte_in_a_sealed_member_is_named) {
  auto members = read_archive_members(archive);
  auto victim = std::find_if(members.begin(), members.end(), [](const auto& m) {
    return m.first.find("/rows-") != std::string::npos && m.second.size() > 1000;
  });
  BOOST_TEST_REQUIRE((victim != members.end()));
  victim->second[victim->second.size() / 2] ^= 0x04;
  const auto damaged = dir / "flipped.tar";
  write_archive_members(damaged, members);
  const auto with_key = run_tool({"verify", damaged.string(), "--key-file", key.string()});
  expect_exit(with_key, 4, victim->first);
  BOOST_TEST(with_key.err.find("does not open") != std::string::npos, with_key.err);
  expect_exit(run_tool({"verify", damaged.string()}), 4, victim->first);
  RestoreTarget target(test_server(), std::nullopt);
  expect_exit(
      target.run("restore", {damaged.string(), "--key-file", key.string()}), 4, victim->first);
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a sealed archive cut short by a full disk or a broken transfer would
// verify, or members dropped by someone who cannot read them would go unnoticed.
BOOST_AUTO_TEST_CASE(truncated_or_shortened_archives_are_refused) {
  const std::string original = file_contents(archive);
  for (const double fraction : {0.3, 0.97}) {
    const auto cut = dir / "cut.tar";
    replace_file(cut, original.substr(0, static_cast<std::size_t>(original.size() * fraction)));
    BOOST_TEST(run_tool({"verify", cut.string(), "--key-file", key.string()}).exit_code == 4);
  }
  // Drop one rows member and rewrite the manifest to match, self-hash included: only the
  // key can tell.
  auto members = read_archive_members(archive);
  const auto dropped = std::find_if(members.begin(), members.end(), [](const auto& m) {
    return m.first.find("/rows-") != std::string::npos;
  });
  BOOST_TEST_REQUIRE((dropped != members.end()));
  auto manifest = pbk::archive::parse_manifest(members.back().second);
  const auto record = std::find_if(manifest.members.begin(),
                                   manifest.members.end(),
                                   [&](const auto& m) { return m.path == dropped->first; });
  for (auto& table : manifest.tables) {
    if (table.database == record->database && table.table == record->table) {
      table.rows -= record->rows;
      table.chunks -= 1;
    }
  }
  manifest.members.erase(record);
  members.erase(dropped);
  members.back().second = pbk::archive::serialize(manifest);
  const auto shortened = dir / "shortened.tar";
  write_archive_members(shortened, members);
  BOOST_TEST(run_tool({"verify", shortened.string()}).exit_code == 0); // no key: cannot tell
  expect_exit(run_tool({"verify", shortened.string(), "--key-file", key.string()}),
              4,
              "manifest_hmac does not match");
}

// Lost if it failed: a typo in the options would write an unencrypted archive the operator
// believes encrypted, or an encrypted one nobody can open.
BOOST_AUTO_TEST_CASE(create_option_mistakes_are_usage_errors) {
  const auto out = dir / "x.tar";
  expect_exit(create({"--encrypt"}, out), 2, "--encrypt needs");
  expect_exit(create({"--key-file", key.string()}, out), 2, "without --encrypt");
  expect_exit(
      create({"--encrypt", "--key-file", key.string(), "--passphrase-file", passphrase.string()},
             out),
      2,
      "not both");
  BOOST_TEST(!std::filesystem::exists(out));
}

// Lost if it failed: the operator could not prove that an archive fetched back from off-site
// storage is the one their server wrote, rather than a substitute.
BOOST_AUTO_TEST_CASE(signed_archives_prove_their_writer) {
  const auto sign_key = dir / "sign.pem";
  const auto public_key = dir / "sign.pub.pem";
  const auto other_private = dir / "other.pem";
  const auto other_public = dir / "other.pub.pem";
  for (const auto& [priv, pub] : {std::pair{sign_key, public_key}, {other_private, other_public}}) {
    BOOST_TEST_REQUIRE(
        run_command({"openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.string()})
            .exit_code
        == 0);
    BOOST_TEST_REQUIRE(
        run_command({"openssl", "pkey", "-in", priv.string(), "-pubout", "-out", pub.string()})
            .exit_code
        == 0);
  }
  const auto signed_archive = dir / "signed.tar";
  const auto created = create(
      {"--encrypt", "--passphrase-file", passphrase.string(), "--sign-key", sign_key.string()},
      signed_archive);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);

  const auto ok =
      run_tool({"verify", signed_archive.string(), "--public-key", public_key.string()});
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(ok.err.find("signature: valid") != std::string::npos, ok.err);
  const auto unchecked = run_tool({"verify", signed_archive.string()});
  BOOST_TEST(unchecked.exit_code == 0, unchecked.err);
  BOOST_TEST(unchecked.err.find("not checked") != std::string::npos, unchecked.err);

  expect_exit(run_tool({"verify", signed_archive.string(), "--public-key", other_public.string()}),
              4,
              "not by the --public-key");
  expect_exit(
      run_tool({"verify", archive.string(), "--public-key", public_key.string()}), 4, "not signed");

  auto members = read_archive_members(signed_archive);
  auto manifest = pbk::archive::parse_manifest(members.back().second);
  manifest.finished_at = "2000-01-01T00:00:00Z"; // any edit, with a fresh self-hash
  members.back().second = pbk::archive::serialize(manifest);
  const auto edited = dir / "edited.tar";
  write_archive_members(edited, members);
  expect_exit(run_tool({"verify", edited.string(), "--public-key", public_key.string()}),
              4,
              "signature does not hold");
}

BOOST_AUTO_TEST_SUITE_END()
