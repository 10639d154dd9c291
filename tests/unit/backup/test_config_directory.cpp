// SPDX-License-Identifier: MIT
#include "backup/config_directory.hpp"
#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>

namespace fs = std::filesystem;
using pbk::test::replace_file;
using pbk::test::TempDir;

BOOST_AUTO_TEST_SUITE(ConfigDirectory)

// Lost if it failed: the backup of Postal's config would miss a file, its mode or its
// checksum, and the restore could not give signing.key back as it was.
BOOST_AUTO_TEST_CASE(stores_each_file_with_mode_and_checksum_by_name) {
  TempDir dir;
  replace_file(dir / "signing.key", "key\n");
  replace_file(dir / "postal.yml", "version: 2\n");
  BOOST_TEST_REQUIRE(::chmod((dir / "signing.key").c_str(), 0600) == 0);
  BOOST_TEST_REQUIRE(::chmod((dir / "postal.yml").c_str(), 0644) == 0);
  const auto config = pbk::backup::read_config_directory(dir.path());
  BOOST_REQUIRE(config.files.size() == 2u);
  BOOST_TEST(config.files[0].file.name == "postal.yml");
  BOOST_TEST(config.files[0].file.mode == 0644u);
  BOOST_TEST(config.files[1].file.name == "signing.key");
  BOOST_TEST(config.files[1].file.mode == 0600u);
  BOOST_TEST(config.files[1].file.sha256 == pbk::core::hash::sha256_hex("key\n"));
  BOOST_TEST(config.skipped.empty());
  BOOST_TEST(fs::path(config.directory).is_absolute());
  BOOST_TEST(pbk::backup::config_info(config).files == 2u);
}

// Lost if it failed: a certificate linked from /etc/letsencrypt would be missing from the
// backup, or a subdirectory or dangling link would fail every nightly run instead of being
// named.
BOOST_AUTO_TEST_CASE(follows_links_to_files_and_names_what_it_leaves_out) {
  TempDir outside;
  TempDir dir;
  replace_file(outside / "cert.pem", "CERT");
  replace_file(dir / "postal.yml", "x");
  fs::create_symlink(outside / "cert.pem", dir / "smtp.cert");
  fs::create_symlink(outside / "gone", dir / "dangling");
  fs::create_directory(dir / "certs");
  const auto config = pbk::backup::read_config_directory(dir.path());
  BOOST_REQUIRE(config.files.size() == 2u);
  BOOST_TEST(config.files[1].file.name == "smtp.cert");
  BOOST_TEST(config.files[1].content == "CERT");
  BOOST_REQUIRE(config.skipped.size() == 2u);
  BOOST_TEST(config.skipped[0] == "certs (a directory)");
  BOOST_TEST(config.skipped[1] == "dangling (a dangling symbolic link)");
}

// Lost if it failed: a mistyped --include-config would make backups that silently hold no
// config at all.
BOOST_AUTO_TEST_CASE(a_missing_or_empty_directory_is_a_usage_error) {
  TempDir dir;
  for (const auto& path : {dir / "missing", dir.path()}) {
    try {
      (void)pbk::backup::read_config_directory(path);
      BOOST_FAIL("accepted " << path);
    } catch (const pbk::core::Error& e) {
      BOOST_TEST(static_cast<int>(e.code()) == 2);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
