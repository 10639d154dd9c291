// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/regular_file.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>

namespace io = pbk::core::io;
namespace fs = std::filesystem;
using pbk::test::TempDir;

BOOST_AUTO_TEST_SUITE(RegularFile)

// Lost if it failed: signing.key would be stored without its mode, or not whole.
BOOST_AUTO_TEST_CASE(reads_content_mode_and_mtime) {
  TempDir dir;
  pbk::test::replace_file(dir / "signing.key", "secret\n");
  BOOST_TEST_REQUIRE(::chmod((dir / "signing.key").c_str(), 0640) == 0);
  const auto file = io::read_regular_file(dir / "signing.key", io::Symlinks::follow, 1024);
  BOOST_REQUIRE(file.has_value());
  BOOST_TEST(file->content == "secret\n");
  BOOST_TEST(file->mode == 0640u);
  BOOST_TEST(file->mtime > 0);
}

// Lost if it failed: a FIFO or directory in the config directory would hang or break the
// backup, and a restore could write through a symbolic link into a file elsewhere.
BOOST_AUTO_TEST_CASE(what_is_not_a_regular_file_is_reported_not_read) {
  TempDir dir;
  pbk::test::replace_file(dir / "target", "x");
  fs::create_symlink(dir / "target", dir / "link");
  BOOST_TEST_REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  fs::create_directory(dir / "sub");
  BOOST_TEST(!io::read_regular_file(dir / "fifo", io::Symlinks::follow, 1024));
  BOOST_TEST(!io::read_regular_file(dir / "sub", io::Symlinks::follow, 1024));
  BOOST_TEST(!io::read_regular_file(dir / "link", io::Symlinks::refuse, 1024));
  BOOST_TEST(io::read_regular_file(dir / "link", io::Symlinks::follow, 1024)->content == "x");
}

// Lost if it failed: a huge file would be read into memory whole, and a missing one would
// pass unnoticed.
BOOST_AUTO_TEST_CASE(missing_and_oversized_files_are_errors) {
  TempDir dir;
  pbk::test::replace_file(dir / "big", std::string(100, 'b'));
  BOOST_CHECK_THROW((void)io::read_regular_file(dir / "big", io::Symlinks::follow, 99),
                    pbk::core::IoError);
  BOOST_CHECK_THROW((void)io::read_regular_file(dir / "none", io::Symlinks::follow, 99),
                    pbk::core::IoError);
}

BOOST_AUTO_TEST_SUITE_END()
