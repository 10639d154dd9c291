// SPDX-License-Identifier: MIT
// prune in a directory an attacker (or a host with a wrong clock) also writes to: archives
// whose dates cannot be believed, and, with --public-key, archives the key did not sign, take
// no retention slot, are never "the newest intact backup" and are never deleted; every real
// backup the policy keeps survives.
#include "core/clock.hpp"
#include "core/crypto/ed25519.hpp"
#include "tests/support/listing_json.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/resealed_archive.hpp"
#include "tests/support/signing_keys.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

using namespace pbk::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct SignedBackups {
  TempDir dir;
  KeyPair key;
  KeyPair other;
  fs::path older;
  fs::path newer;
};

fs::path create_signed(const PostalSample& sample, const fs::path& dir, const KeyPair& key) {
  auto args = sample.connection_args();
  args.insert(args.begin(), "create");
  args.insert(
      args.end(),
      {"--output-dir", dir.string(), "--sign-key", key.private_pem.string(), "--quiet", "--json"});
  const auto created = run_tool(args);
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  return Json::parse(created.out).at("path").get<std::string>();
}

const SignedBackups& backups() {
  static const auto made = [] {
    auto result = std::make_unique<SignedBackups>();
    result->key = make_key_pair(result->dir.path(), "key");
    result->other = make_key_pair(result->dir.path(), "other");
    const PostalSample sample(test_server(), {"20240311205229", "20", 1, 20, 0, 29});
    fs::create_directory(result->dir / "made");
    result->older = create_signed(sample, result->dir / "made", result->key);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // created_at has seconds
    result->newer = create_signed(sample, result->dir / "made", result->key);
    return result;
  }();
  return *made;
}

// A copy of the newer backup claiming another created_at, signed by `signer` (or unsigned).
void plant(const fs::path& path,
           const std::string& created_at,
           const std::optional<fs::path>& signer) {
  auto members = read_archive_members(backups().newer);
  auto info = members.front().second;
  const std::string key = "\"created_at\": \"";
  const auto at = info.find(key);
  BOOST_TEST_REQUIRE(at != std::string::npos);
  info.replace(at + key.size(), created_at.size(), created_at);
  replace_backup_json(members, info);
  std::optional<pbk::core::crypto::SigningKey> signing;
  if (signer) {
    signing = pbk::core::crypto::SigningKey::load(*signer);
  }
  reseal_manifest(members, signing);
  write_archive_members(path, members);
}

std::string iso_in(std::chrono::seconds offset) {
  return pbk::core::iso8601_utc(std::chrono::system_clock::now() + offset);
}

void set_mtime(const fs::path& path, std::int64_t seconds) {
  const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(seconds), 0}};
  BOOST_TEST_REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

struct Directory {
  Directory() {
    fs::copy_file(backups().older, dir / older);
    fs::copy_file(backups().newer, dir / newer);
  }

  [[nodiscard]] Json prune(std::vector<std::string> extra, int expected_exit) const {
    std::vector<std::string> args = {"--json", "prune", dir.path().string(), "--keep-last", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_tool(args);
    BOOST_TEST(result.exit_code == expected_exit, result.err + result.out);
    return Json::parse(result.out);
  }

  [[nodiscard]] bool has(const std::string& name) const { return fs::exists(dir / name); }

  TempDir dir;
  std::string older = backups().older.filename().string();
  std::string newer = backups().newer.filename().string();
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(PruneTrust, Directory, *boost::unit_test::precondition(require_server))

// Lost if it failed: one archive dated 2099 (or by a host whose clock is wrong), or one
// dated now but written long ago, would take the newest slots and be "the newest intact
// backup", and prune would delete the real backups.
BOOST_AUTO_TEST_CASE(archives_with_unbelievable_dates_take_no_slot) {
  const std::string future = "postal-backup-20990101T000000Z-level-20240311205229.tar";
  plant(dir / future, "2099-01-01T00:00:00Z", backups().key.private_pem);
  const std::string backdated = "planted.tar";
  plant(dir / backdated, iso_in(std::chrono::seconds(-60)), backups().key.private_pem);
  set_mtime(dir / backdated, 1577836800); // 2020-01-01: written long before its created_at

  const auto report = prune({}, 0);
  BOOST_TEST(report.at("newest_intact") == newer);
  BOOST_TEST(has(older));
  BOOST_TEST(has(newer));
  BOOST_TEST(has(future));
  BOOST_TEST(has(backdated));
  BOOST_TEST(has_reason(entry_for(report, newer), "last"));
  BOOST_TEST(has_reason(entry_for(report, older), "last"));
  BOOST_TEST(has_reason(entry_for(report, future), "is in the future"));
  BOOST_TEST(!has_reason(entry_for(report, future), "last"));
  BOOST_TEST(has_reason(entry_for(report, backdated), "untrusted date"));
  BOOST_TEST(!entry_for(report, future).at("untrusted_date").is_null());

  const auto listed = run_tool({"--json", "list", dir.path().string()});
  BOOST_TEST(listed.exit_code == 0, listed.err);
  BOOST_TEST(listed.err.find("untrusted date") != std::string::npos, listed.err);
}

// Lost if it failed: with --public-key, newer archives the key did not sign (unsigned, or
// signed by another key) would take the slots and push out the backups the key signed.
BOOST_AUTO_TEST_CASE(only_signed_archives_count_with_a_public_key) {
  const std::string unsigned_copy = "unsigned.tar";
  plant(dir / unsigned_copy, iso_in(std::chrono::seconds(-2)), std::nullopt);
  const std::string other_copy = "other.tar";
  plant(dir / other_copy, iso_in(std::chrono::seconds(-1)), backups().other.private_pem);

  // Without a key they are backups like any other (nothing says who wrote them).
  const auto plain =
      run_tool({"--json", "prune", dir.path().string(), "--keep-last", "4", "--dry-run"});
  BOOST_TEST(plain.exit_code == 0, plain.err);

  const auto report = prune({"--public-key", backups().key.public_pem.string()}, 4);
  BOOST_TEST(report.at("newest_intact") == newer);
  for (const auto& name : {older, newer, unsigned_copy, other_copy}) {
    BOOST_TEST(has(name), name);
  }
  BOOST_TEST(has_reason(entry_for(report, older), "last"));
  BOOST_TEST(has_reason(entry_for(report, unsigned_copy), "not signed by --public-key"));
  BOOST_TEST(has_reason(entry_for(report, other_copy), "not signed by --public-key"));

  const auto listed = run_tool(
      {"--json", "list", dir.path().string(), "--public-key", backups().key.public_pem.string()});
  BOOST_TEST(listed.exit_code == 4, listed.err);
  BOOST_TEST(Json::parse(listed.out).at("ok") == false);
}

BOOST_AUTO_TEST_SUITE_END()
