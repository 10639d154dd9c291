// SPDX-License-Identifier: MIT
// --public-key (and POSTAL_BACKUP_PUBLIC_KEY) on every command that reads an archive, and a
// restore that lets nothing of an archive reach the server before the archive is proven
// authentic: unsigned, signed by another key, replaced after verify, piped, or (encrypted)
// with an edited backup.json.
#include "core/crypto/ed25519.hpp"
#include "tests/support/resealed_archive.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/signing_keys.hpp"
#include "tests/support/suite_shared.hpp"

#include <boost/test/unit_test.hpp>

using namespace pbk::test;
namespace fs = std::filesystem;

namespace {

// What a refused restore must leave as it was: the server's databases and the journal.
struct ServerState {
  std::vector<std::string> databases;
  std::string journal_rows;

  bool operator==(const ServerState&) const = default;
};

ServerState server_state() {
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  ServerState state;
  for (const auto& row : admin.query("SHOW DATABASES").rows()) {
    state.databases.push_back(row.at(0).value_or(""));
  }
  const auto journal = admin.query_value(
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'postal_backup' AND "
      "TABLE_NAME = 'restores'");
  state.journal_rows =
      journal == "0"
          ? "none"
          : admin.query_value("SELECT COUNT(*) FROM postal_backup.restores").value_or("");
  return state;
}

void expect_exit(const CommandResult& result, int code, const std::string& fragment) {
  BOOST_TEST(result.exit_code == code, "exit " << result.exit_code << ": " << result.err);
  BOOST_TEST(result.err.find(fragment) != std::string::npos,
             "expected '" << fragment << "' in: " << result.err);
}

struct SignedArchives {
  SignedArchives()
      : sample(test_server(), {"20210727210551", "20", 1, 20, 0, 31}) {
    key = make_key_pair(dir.path(), "key");
    other = make_key_pair(dir.path(), "other");
    create({"--sign-key", key.private_pem.string()}, dir / "signed" / "a.tar");
    create({}, dir / "unsigned" / "a.tar");
    auto members = read_archive_members(signed_archive());
    reseal_manifest(members, pbk::core::crypto::SigningKey::load(other.private_pem));
    fs::create_directory(dir / "other");
    write_archive_members(other_archive(), members);
  }

  void create(std::vector<std::string> extra, const fs::path& out) const {
    fs::create_directories(out.parent_path());
    auto args = sample.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", out.string(), "--quiet"});
    args.insert(args.end(), extra.begin(), extra.end());
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  }

  [[nodiscard]] fs::path signed_archive() const { return dir / "signed" / "a.tar"; }

  [[nodiscard]] fs::path unsigned_archive() const { return dir / "unsigned" / "a.tar"; }

  [[nodiscard]] fs::path other_archive() const { return dir / "other" / "a.tar"; }

  // Each command that reads an archive, on `archive` (list and prune on its directory).
  [[nodiscard]] static std::vector<std::vector<std::string>> commands(const fs::path& archive) {
    const auto directory = archive.parent_path().string();
    return {{"verify", archive.string()},
            {"inspect", archive.string()},
            {"plan", archive.string(), "--target-version", "2.1.4"},
            {"list", directory},
            {"prune", directory, "--keep-last", "5", "--dry-run"}};
  }

  PostalSample sample;
  TempDir dir;
  KeyPair key;
  KeyPair other;
};

// The suite's archives and keys, read only (prune runs on them with --dry-run only); each case
// writes its own files in a directory of its own.
struct SignedArchivesCase {
  void create(std::vector<std::string> extra, const fs::path& out) const {
    shared.create(std::move(extra), out);
  }

  [[nodiscard]] fs::path signed_archive() const { return shared.signed_archive(); }

  [[nodiscard]] fs::path unsigned_archive() const { return shared.unsigned_archive(); }

  [[nodiscard]] fs::path other_archive() const { return shared.other_archive(); }

  [[nodiscard]] static std::vector<std::vector<std::string>> commands(const fs::path& archive) {
    return SignedArchives::commands(archive);
  }

  const SignedArchives& shared = suite_shared<SignedArchives>();
  const KeyPair& key = shared.key;
  TempDir dir;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(PublicKey,
                         SignedArchivesCase,
                         *shared_by_suite<SignedArchives>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a forged archive (unsigned, or signed by the forger's own key) would be
// inspected, planned, listed and pruned as if the operator's server had written it.
BOOST_AUTO_TEST_CASE(every_command_checks_the_signature) {
  const auto with_key = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--public-key", key.public_pem.string()});
    return run_tool(args);
  };
  for (const auto& args : commands(unsigned_archive())) {
    expect_exit(with_key(args), 4, "not signed");
  }
  for (const auto& args : commands(other_archive())) {
    expect_exit(with_key(args), 4, "not by the --public-key");
  }
  for (const auto& args : commands(signed_archive())) {
    const auto result = with_key(args);
    BOOST_TEST((result.exit_code == 0 || (args[0] == "plan" && result.exit_code == 3)),
               args[0] << ": exit " << result.exit_code << ": " << result.err);
  }
  RestoreTarget target(test_server(), std::nullopt);
  const auto before = server_state();
  expect_exit(
      target.run("restore", {unsigned_archive().string(), "--public-key", key.public_pem.string()}),
      4,
      "not signed");
  expect_exit(
      target.run("restore", {other_archive().string(), "--public-key", key.public_pem.string()}),
      4,
      "not by the --public-key");
  BOOST_TEST((server_state() == before));
  const auto restored =
      target.run("restore", {signed_archive().string(), "--public-key", key.public_pem.string()});
  BOOST_TEST(restored.exit_code == 0, restored.err + restored.out);
}

// Lost if it failed: a host that sets POSTAL_BACKUP_PUBLIC_KEY would still act on unsigned
// archives wherever someone forgot --public-key.
BOOST_AUTO_TEST_CASE(the_environment_requires_it_for_every_command) {
  const std::vector<std::string> env = {"POSTAL_BACKUP_PUBLIC_KEY=" + key.public_pem.string()};
  for (const auto& args : commands(unsigned_archive())) {
    expect_exit(run_tool(args, env), 4, "not signed");
  }
  RestoreTarget target(test_server(), std::nullopt);
  const auto before = server_state();
  expect_exit(target.run("restore", {unsigned_archive().string()}, env), 4, "not signed");
  BOOST_TEST((server_state() == before));
  BOOST_TEST(run_tool({"verify", signed_archive().string()}, env).exit_code == 0);
}

// Lost if it failed: an archive swapped for a forgery after `verify --public-key` passed, or
// fed through a pipe, would be restored unchecked.
BOOST_AUTO_TEST_CASE(a_replaced_file_and_a_pipe_are_refused_before_anything_is_written) {
  const auto archive = dir / "to-restore.tar";
  fs::copy_file(signed_archive(), archive);
  BOOST_TEST_REQUIRE(
      run_tool({"verify", archive.string(), "--public-key", key.public_pem.string()}).exit_code
      == 0);
  fs::copy_file(unsigned_archive(), archive, fs::copy_options::overwrite_existing);
  RestoreTarget target(test_server(), std::nullopt);
  const auto before = server_state();
  expect_exit(target.run("restore", {archive.string(), "--public-key", key.public_pem.string()}),
              4,
              "not signed");
  BOOST_TEST((server_state() == before));

  auto args = target.connection_args();
  args.insert(args.begin(),
              {std::getenv("PBK_BIN"), "restore", "-", "--public-key", key.public_pem.string()});
  const auto piped = run_command(args, file_contents(signed_archive()));
  expect_exit(piped, 5, "save the stream to a file first");
  BOOST_TEST((server_state() == before));
}

// Lost if it failed: backup.json of an encrypted archive is not sealed; edited, its values
// (database names, charsets) would reach the server before the manifest's HMAC exposed it.
BOOST_AUTO_TEST_CASE(an_encrypted_archive_with_an_edited_backup_json_reaches_no_server) {
  const auto secret = dir / "archive.key";
  replace_file(secret, std::string(32, '\x42'));
  const auto sealed = dir / "sealed.tar";
  create({"--encrypt", "--key-file", secret.string()}, sealed);
  auto members = read_archive_members(sealed);
  auto info = members.front().second;
  const auto at = info.find("utf8mb4_");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  info.replace(at, 8, "latin1__");
  replace_backup_json(members, info);
  const auto forged = dir / "forged.tar";
  write_archive_members(forged, members);

  RestoreTarget target(test_server(), std::nullopt);
  const auto before = server_state();
  expect_exit(target.run("restore", {forged.string(), "--key-file", secret.string()}),
              4,
              "manifest_hmac does not match");
  BOOST_TEST((server_state() == before));

  auto args = target.connection_args();
  args.insert(args.begin(),
              {std::getenv("PBK_BIN"), "restore", "-", "--key-file", secret.string()});
  expect_exit(run_command(args, file_contents(sealed)), 5, "the archive is encrypted");
  BOOST_TEST((server_state() == before));
}

BOOST_AUTO_TEST_SUITE_END()
