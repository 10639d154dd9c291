// SPDX-License-Identifier: MIT
#include "archive/member_path.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "restore/config_restore.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <functional>

namespace fs = std::filesystem;
using Restorer = pbk::restore::ConfigRestore;
using pbk::test::TempDir;

namespace {

struct File {
  std::string name;
  std::string content;
  std::uint32_t mode;
};

const std::vector<File> k_files = {{"postal.yml", "version: 2\n", 0644},
                                   {"signing.key", "key\n", 0600}};

pbk::archive::Manifest manifest_of(const std::vector<File>& files) {
  pbk::archive::Manifest manifest;
  for (const auto& f : files) {
    pbk::archive::MemberRecord r;
    r.path = pbk::archive::config_member_path(f.name);
    r.kind = pbk::archive::MemberKind::config;
    r.raw_size = f.content.size();
    r.config = pbk::archive::ConfigFile{
        f.name, f.mode, 1700000000, pbk::core::hash::sha256_hex(f.content)};
    manifest.members.push_back(r);
  }
  return manifest;
}

// What restore_job does for an archive of `files`: check ahead, take each, attach, write.
std::vector<pbk::restore::ConfigFileOutcome> restore_into(const fs::path& dest, bool force) {
  Restorer config(dest, force);
  const auto manifest = manifest_of(k_files);
  config.check_planned(manifest);
  for (const auto& f : k_files) {
    config.add(f.name, f.content);
  }
  config.attach(manifest, k_files.size());
  return config.write();
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};

  BOOST_TEST_REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

bool refused(const std::function<void()>& run) {
  try {
    run();
  } catch (const pbk::core::Error& e) {
    return e.code() == pbk::core::ExitCode::refused;
  }
  return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ConfigRestore)

// Lost if it failed: signing.key would come back readable by others (or postal.yml
// unreadable by Postal), or the destination would have to exist beforehand.
BOOST_AUTO_TEST_CASE(writes_each_file_with_its_recorded_mode_into_a_new_directory) {
  TempDir dir;
  const auto dest = dir / "a" / "config";
  const auto outcomes = restore_into(dest, false);
  BOOST_REQUIRE(outcomes.size() == 2u);
  BOOST_TEST(outcomes[0].written);
  BOOST_TEST(pbk::test::file_contents(dest / "signing.key") == "key\n");
  BOOST_TEST(mode_of(dest / "signing.key") == 0600u);
  BOOST_TEST(mode_of(dest / "postal.yml") == 0644u);
  BOOST_TEST(mode_of(dest) == 0700u);

  struct stat st {};

  BOOST_TEST_REQUIRE(::stat((dest / "postal.yml").c_str(), &st) == 0);
  BOOST_TEST(st.st_mtim.tv_sec == 1700000000);
}

// Lost if it failed: a restore would overwrite an operator's edited postal.yml, or replace
// a symbolic link's target elsewhere on the system.
BOOST_AUTO_TEST_CASE(a_different_file_or_a_link_is_refused_unless_forced) {
  TempDir dir;
  TempDir outside;
  pbk::test::replace_file(dir / "postal.yml", "edited\n");
  BOOST_TEST(refused([&] { (void)restore_into(dir.path(), false); }));
  BOOST_TEST(!fs::exists(dir / "signing.key"));
  BOOST_TEST(pbk::test::file_contents(dir / "postal.yml") == "edited\n");

  fs::remove(dir / "postal.yml");
  pbk::test::replace_file(outside / "real.yml", "version: 2\n");
  fs::create_symlink(outside / "real.yml", dir / "postal.yml");
  BOOST_TEST(refused([&] { (void)restore_into(dir.path(), false); }));

  const auto outcomes = restore_into(dir.path(), true);
  BOOST_TEST(outcomes[0].written);
  BOOST_TEST(!fs::is_symlink(dir / "postal.yml"));
  BOOST_TEST(pbk::test::file_contents(outside / "real.yml") == "version: 2\n");
}

// Lost if it failed: whoever can create a file in Postal's config directory could plant a
// symbolic link at signing.key.partial, and a restore running as root would truncate the file
// it points to, fill it with the key and change its mode.
BOOST_AUTO_TEST_CASE(a_link_planted_at_a_partial_is_never_written_through) {
  TempDir dir;
  TempDir outside;
  pbk::test::replace_file(outside / "victim", "precious\n");
  fs::permissions(outside / "victim", fs::perms(0644));
  fs::create_symlink(outside / "victim", dir / "signing.key.partial");
  BOOST_CHECK_THROW((void)restore_into(dir.path(), true), pbk::core::IoError);
  BOOST_TEST(pbk::test::file_contents(outside / "victim") == "precious\n");
  BOOST_TEST(mode_of(outside / "victim") == 0644u);
  BOOST_TEST(fs::is_symlink(dir / "signing.key.partial"));
}

// Lost if it failed: running a restore again (after a failed swap) would be refused by the
// files the first run wrote, or would rewrite files that are already right.
BOOST_AUTO_TEST_CASE(identical_files_are_left_alone) {
  TempDir dir;
  pbk::test::replace_file(dir / "postal.yml", "version: 2\n");
  BOOST_TEST_REQUIRE(::chmod((dir / "postal.yml").c_str(), 0640) == 0);
  const auto outcomes = restore_into(dir.path(), false);
  BOOST_TEST(!outcomes[0].written);
  BOOST_TEST(outcomes[1].written);
  BOOST_TEST(mode_of(dir / "postal.yml") == 0640u);
}

// Lost if it failed: a pipe restore would load every table before noticing the conflict.
BOOST_AUTO_TEST_CASE(a_member_is_checked_against_the_destination_as_it_arrives) {
  TempDir dir;
  pbk::test::replace_file(dir / "signing.key", "another key\n");
  Restorer config(dir.path(), false);
  config.add("postal.yml", "version: 2\n");
  BOOST_TEST(refused([&] { config.add("signing.key", "key\n"); }));
}

// Lost if it failed: a manifest whose config record does not match the member taken
// (altered archive) would have its file written anyway.
BOOST_AUTO_TEST_CASE(content_must_match_the_manifest_record) {
  TempDir dir;
  Restorer config(dir / "dest", false);
  config.add("postal.yml", "version: 3\n");
  config.add("signing.key", "key\n");
  BOOST_CHECK_THROW(config.attach(manifest_of(k_files), 2), pbk::core::IntegrityError);
  Restorer fewer(dir / "dest", false);
  fewer.add("postal.yml", "version: 2\n");
  fewer.add("signing.key", "key\n");
  BOOST_CHECK_THROW(fewer.attach(manifest_of(k_files), 3), pbk::core::IntegrityError);
  BOOST_TEST(!fs::exists(dir / "dest"));
}

BOOST_AUTO_TEST_SUITE_END()
