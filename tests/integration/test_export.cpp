// SPDX-License-Identifier: MIT
// `export BACKUP --output FILE|-` on the real binary: the copy is the backup (verify passes,
// the same manifest, every member's bytes), to a file and to a pipe, plain, encrypted and
// signed; a damaged, truncated or reordered backup is exit 4 naming the damage with no copy
// left; standard input, an existing output and the backup itself as output are exit 2.
// Most cases use the checked-in archives of tests/fixtures/archives (no server needed); one
// exports what `create` makes of a Postal sample, encrypted and signed.
#include "tests/support/archive_members.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/resealed_archive.hpp"
#include "tests/support/signing_keys.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

using namespace pbk::test;
namespace fs = std::filesystem;

namespace {

const fs::path k_fixtures = fs::path(PBK_SOURCE_DIR) / "tests" / "fixtures" / "archives";

void expect_exit(const CommandResult& result, int code, const std::string& fragment) {
  BOOST_TEST(result.exit_code == code, "exit " << result.exit_code << ": " << result.err);
  BOOST_TEST(result.err.find(fragment) != std::string::npos,
             "expected '" << fragment << "' in: " << result.err);
}

// Nothing at the output path and no .partial beside it.
void expect_no_output(const fs::path& output) {
  BOOST_TEST(!fs::exists(fs::symlink_status(output)), output << " was left");
  BOOST_TEST(!fs::exists(fs::symlink_status(output.string() + ".partial")),
             output << ".partial was left");
}

// `export` of a file into `output`.
CommandResult
export_to(const fs::path& backup, const fs::path& output, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"export", backup.string(), "--output", output.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_tool(args);
}

// The copy holds the backup's members, path for path and byte for byte, and verifies.
void expect_same_archive(const fs::path& copy,
                         const fs::path& backup,
                         std::vector<std::string> verify_extra = {}) {
  const auto copied = read_archive_members(copy);
  const auto original = read_archive_members(backup);
  BOOST_TEST_REQUIRE(copied.size() == original.size());
  for (std::size_t i = 0; i < copied.size(); ++i) {
    BOOST_TEST(copied[i].first == original[i].first);
    BOOST_TEST((copied[i].second == original[i].second), "member " << original[i].first);
  }
  std::vector<std::string> verify{"verify", copy.string()};
  verify.insert(verify.end(), verify_extra.begin(), verify_extra.end());
  const auto verified = run_tool(verify);
  BOOST_TEST(verified.exit_code == 0, verified.err);
}

} // namespace

BOOST_AUTO_TEST_SUITE(Export)

// Lost if it failed: an off-site copy would not be the backup (a member changed, lost or
// reordered on the way), and would be found out only when it was needed. Of a full archive the
// copy is the very file: its checksum recorded anywhere holds for both.
BOOST_AUTO_TEST_CASE(a_full_archive_exports_to_the_same_bytes) {
  TempDir dir;
  const auto backup = k_fixtures / "good.tar";
  const auto copy = dir / "copy.tar";
  const auto exported = export_to(backup, copy);
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  BOOST_TEST(exported.err.find("wrote " + copy.string()) != std::string::npos, exported.err);
  expect_same_archive(copy, backup);
  BOOST_TEST((file_contents(copy) == file_contents(backup)));
  BOOST_TEST(((fs::status(copy).permissions() & fs::perms::all)
              == (fs::perms::owner_read | fs::perms::owner_write)));
}

// Lost if it failed: a rows member (up to 1.15 GiB) would be held whole in memory, and an
// export of a large install would run out of it. The member's stored bytes are only copied
// and hashed, never decompressed, so random bytes stand in for them.
BOOST_AUTO_TEST_CASE(a_large_member_is_streamed_not_held) {
  TempDir dir;
  const std::string rows = "fixture-server-1/loads/rows-000001.tsv.zst";
  constexpr std::size_t k_member = std::size_t{96} << 20;
  {
    auto members = read_archive_members(k_fixtures / "good.tar");
    reseal_member(members, rows, random_bytes(k_member, 7), k_member);
    reseal_manifest(members);
    write_archive_members(dir / "large.tar", members);
  } // freed before the tool runs: a child's peak RSS counts what it shared with this process
  const auto exported = export_to(dir / "large.tar", dir / "copy.tar");
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  // AddressSanitizer's shadow memory and quarantine make its builds' peak meaningless here.
#if !defined(__SANITIZE_ADDRESS__)
  BOOST_TEST(exported.max_rss_kib < 48 * 1024, exported.max_rss_kib << " KiB");
#endif
  const auto members = read_archive_members(dir / "large.tar");
  const auto copied = read_archive_members(dir / "copy.tar");
  BOOST_TEST_REQUIRE(copied.size() == members.size());
  for (std::size_t i = 0; i < copied.size(); ++i) {
    BOOST_TEST(copied[i].first == members[i].first);
    BOOST_TEST((copied[i].second == members[i].second), "member " << members[i].first);
  }
}

// Lost if it failed: `export … --output - | rclone rcat …` (or ssh, restic --stdin) would send
// something other than the backup, or mix the report into the stream.
BOOST_AUTO_TEST_CASE(standard_output_carries_the_archive_and_nothing_else) {
  TempDir dir;
  const auto backup = k_fixtures / "good.tar";
  const auto exported = run_tool({"export", backup.string(), "--output", "-"});
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  BOOST_TEST((exported.out == file_contents(backup)));
  BOOST_TEST(exported.err.find("the archive to standard output") != std::string::npos);
  const auto verified = run_tool_with_input({"verify", "-"}, exported.out);
  BOOST_TEST(verified.exit_code == 0, verified.err);
  // Standard tar reads the stream too.
  replace_file(dir / "piped.tar", exported.out);
  const auto listed = run_command({"tar", "-tf", (dir / "piped.tar").string()});
  BOOST_TEST(listed.exit_code == 0, listed.err);
  BOOST_TEST(listed.out.starts_with("backup.json\n"), listed.out);
  BOOST_TEST(listed.out.ends_with("manifest.json\n"), listed.out);
}

// Lost if it failed: an encrypted backup could not be copied off site without putting its key
// on the copying host, or its copy would no longer open with the key.
BOOST_AUTO_TEST_CASE(an_encrypted_archive_is_copied_sealed_with_or_without_the_key) {
  TempDir dir;
  const auto backup = k_fixtures / "good-encrypted.tar";
  const auto key = (k_fixtures / "test.key").string();
  const auto with_key = export_to(backup, dir / "with-key.tar", {"--key-file", key});
  BOOST_TEST_REQUIRE(with_key.exit_code == 0, with_key.err);
  BOOST_TEST(with_key.err.find("manifest authenticated by the key") != std::string::npos,
             with_key.err);
  expect_same_archive(dir / "with-key.tar", backup, {"--key-file", key});

  const auto without_key = export_to(backup, dir / "without-key.tar");
  BOOST_TEST_REQUIRE(without_key.exit_code == 0, without_key.err);
  BOOST_TEST(without_key.err.find("manifest NOT authenticated by the key") != std::string::npos,
             without_key.err);
  expect_same_archive(dir / "without-key.tar", backup, {"--key-file", key});

  // A key that is not the archive's is named before anything is copied.
  const auto wrong = export_to(
      backup, dir / "wrong.tar", {"--key-file", (k_fixtures / "test-wrong.key").string()});
  expect_exit(wrong, 4, "the key does not open this archive");
  expect_no_output(dir / "wrong.tar");
}

// Lost if it failed: a copy would lose its signature, or a backup signed by someone else (or
// not at all) would be copied off site as if it were ours.
BOOST_AUTO_TEST_CASE(a_signed_archive_keeps_its_signature_and_a_foreign_one_is_refused) {
  TempDir dir;
  const auto public_key = (k_fixtures / "test-sign.pub.pem").string();
  const auto exported =
      export_to(k_fixtures / "good-signed.tar", dir / "copy.tar", {"--public-key", public_key});
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  BOOST_TEST(exported.err.find("signature: valid") != std::string::npos, exported.err);
  expect_same_archive(
      dir / "copy.tar", k_fixtures / "good-signed.tar", {"--public-key", public_key});

  const auto foreign = export_to(
      k_fixtures / "signed-by-other-key.tar", dir / "foreign.tar", {"--public-key", public_key});
  BOOST_TEST(foreign.exit_code == 4, foreign.err);
  expect_no_output(dir / "foreign.tar");
  // POSTAL_BACKUP_PUBLIC_KEY requires the signature as --public-key does.
  const auto unsigned_backup = run_tool(
      {"export", (k_fixtures / "good.tar").string(), "--output", (dir / "unsigned.tar").string()},
      {"POSTAL_BACKUP_PUBLIC_KEY=" + public_key});
  BOOST_TEST(unsigned_backup.exit_code == 4, unsigned_backup.err);
  expect_no_output(dir / "unsigned.tar");
}

// Lost if it failed: a bit rotted in the backup would be copied into the off-site copy and
// called good, or a half-written copy would be left looking complete.
BOOST_AUTO_TEST_CASE(a_flipped_byte_is_exit_4_naming_the_member_and_leaves_no_copy) {
  TempDir dir;
  const auto rows = export_to(k_fixtures / "flipped-byte-rows.tar", dir / "rows.tar", {"--quiet"});
  expect_exit(rows, 4, "fixture-server-1/loads/rows-000001.tsv.zst");
  BOOST_TEST(rows.err.find("SHA-256") != std::string::npos, rows.err);
  expect_no_output(dir / "rows.tar");

  // A sealed member changed by someone without the key, the manifest's digests redone: the key
  // catches it (the manifest's HMAC); without the key, as verify, export can check only the
  // stored bytes, and says so.
  const auto key = (k_fixtures / "test.key").string();
  const auto sealed =
      export_to(k_fixtures / "sealed-member-flipped.tar", dir / "sealed.tar", {"--key-file", key});
  BOOST_TEST(sealed.exit_code == 4, sealed.err);
  expect_no_output(dir / "sealed.tar");
  const auto unkeyed = export_to(k_fixtures / "sealed-member-flipped.tar", dir / "unkeyed.tar");
  BOOST_TEST(unkeyed.exit_code == 0, unkeyed.err);
  BOOST_TEST(unkeyed.err.find("NOT authenticated by the key") != std::string::npos, unkeyed.err);
  const auto checked = run_tool({"verify", "--key-file", key, (dir / "unkeyed.tar").string()});
  BOOST_TEST(checked.exit_code == 4, checked.err);

  // On standard output the stream stops before its end blocks: no reader takes it as whole.
  const auto piped =
      run_tool({"export", (k_fixtures / "flipped-byte-rows.tar").string(), "-o", "-"});
  BOOST_TEST(piped.exit_code == 4, piped.err);
  const auto verified = run_tool_with_input({"verify", "-"}, piped.out);
  BOOST_TEST(verified.exit_code == 4, verified.err);
}

// Lost if it failed: a backup cut short (a full disk, a dropped transfer) or with members
// added, dropped or reordered would be exported as a complete copy.
BOOST_AUTO_TEST_CASE(a_truncated_or_rearranged_archive_is_exit_4_and_leaves_no_copy) {
  TempDir dir;
  for (const auto* name : {"truncated-in-member.tar",
                           "truncated-before-manifest.tar",
                           "no-end-blocks.tar",
                           "manifest-missing.tar",
                           "member-missing.tar",
                           "member-duplicated.tar",
                           "members-reordered.tar",
                           "member-not-in-manifest.tar",
                           "member-after-manifest.tar",
                           "manifest-edited.tar",
                           "backup-json-edited.tar"}) {
    const auto output = dir / name;
    const auto result = export_to(k_fixtures / name, output);
    BOOST_TEST(result.exit_code == 4, name << ": exit " << result.exit_code << ": " << result.err);
    expect_no_output(output);
  }
  const auto cut = export_to(k_fixtures / "truncated-in-member.tar", dir / "cut.tar");
  expect_exit(cut, 4, "truncated");
}

// Lost if it failed: `create --output - | postal-backup export - …` would fail half way (the
// copy needs a second pass), or block on a FIFO, instead of saying so at once.
BOOST_AUTO_TEST_CASE(standard_input_and_fifos_are_refused_with_exit_2) {
  TempDir dir;
  const auto piped = run_tool_with_input({"export", "-", "--output", (dir / "x.tar").string()},
                                         file_contents(k_fixtures / "good.tar"));
  expect_exit(piped, 2, "standard input");
  expect_no_output(dir / "x.tar");

  const auto fifo = dir / "fifo";
  BOOST_TEST_REQUIRE(run_command({"mkfifo", fifo.string()}).exit_code == 0);
  const auto from_fifo = export_to(fifo, dir / "y.tar");
  expect_exit(from_fifo, 2, "is not a regular file");
  expect_no_output(dir / "y.tar");
}

// Lost if it failed: an export would overwrite a file (an older off-site copy, or the backup
// itself), as create --output never does.
BOOST_AUTO_TEST_CASE(an_existing_output_and_the_backup_itself_are_refused_with_exit_2) {
  TempDir dir;
  const auto backup = dir / "backup.tar";
  fs::copy_file(k_fixtures / "good.tar", backup);
  const auto itself = export_to(backup, backup);
  expect_exit(itself, 2, "is the backup being exported");
  BOOST_TEST((file_contents(backup) == file_contents(k_fixtures / "good.tar")));
  const auto through_link = dir / "link.tar";
  fs::create_symlink(backup, through_link);
  expect_exit(export_to(backup, through_link), 2, "is the backup being exported");

  replace_file(dir / "older.tar", "an older copy");
  expect_exit(export_to(backup, dir / "older.tar"), 2, "already exists");
  BOOST_TEST(file_contents(dir / "older.tar") == "an older copy");

  const auto json = run_tool({"--json", "export", backup.string(), "--output", "-"});
  expect_exit(json, 2, "both want standard output");
  const auto missing = export_to(dir / "missing.tar", dir / "z.tar");
  BOOST_TEST(missing.exit_code == 1, missing.err);
  expect_no_output(dir / "z.tar");
}

// Lost if it failed: what create makes of a real install (many tables, several members per
// table, encrypted and signed at once) would not export to a copy that verifies and opens.
BOOST_AUTO_TEST_CASE(an_encrypted_and_signed_backup_of_a_postal_install_exports,
                     *boost::unit_test::precondition(require_server)) {
  const PostalSample sample(test_server(), {"20210727210551", "20", 2, 30, 1, 43});
  TempDir dir;
  const auto keys = make_key_pair(dir.path(), "sign");
  const auto key = dir / "archive.key";
  replace_file(key, std::string(32, '\x5a'));
  const auto backup = dir / "backup.tar";
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(),
              {"--output",
               backup.string(),
               "--quiet",
               "--chunk-size",
               "1",
               "--encrypt",
               "--key-file",
               key.string(),
               "--sign-key",
               keys.private_pem.string()});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);

  const auto copy = dir / "copy.tar";
  const auto exported = export_to(
      backup, copy, {"--key-file", key.string(), "--public-key", keys.public_pem.string()});
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  expect_same_archive(
      copy, backup, {"--key-file", key.string(), "--public-key", keys.public_pem.string()});
  BOOST_TEST((file_contents(copy) == file_contents(backup)));

  const auto json = run_tool({"--json",
                              "export",
                              backup.string(),
                              "--output",
                              (dir / "json.tar").string(),
                              "--public-key",
                              keys.public_pem.string()});
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  BOOST_TEST(json.out.find("\"signature_checked\": true") != std::string::npos, json.out);
  BOOST_TEST(json.out.find("\"manifest_authenticated_by_key\": false") != std::string::npos,
             json.out);
}

BOOST_AUTO_TEST_SUITE_END()
