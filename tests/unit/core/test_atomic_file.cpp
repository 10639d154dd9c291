// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/faulty_sink.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>

namespace io = pbk::core::io;
namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using pbk::core::IoError;

namespace {

class UmaskGuard {
public:
  explicit UmaskGuard(mode_t mask)
      : m_old(::umask(mask)) {}

  UmaskGuard(const UmaskGuard&) = delete;
  UmaskGuard& operator=(const UmaskGuard&) = delete;

  ~UmaskGuard() { ::umask(m_old); }

private:
  mode_t m_old;
};

fs::perms mode_of(const fs::path& file) {
  return fs::status(file).permissions() & fs::perms::mask;
}

} // namespace

BOOST_AUTO_TEST_SUITE(AtomicFile)

// Lost if broken: backups would be corrupt when written in odd-sized pieces.
BOOST_DATA_TEST_CASE(commit_publishes_the_content, bdata::make(pbk::test::k_write_sizes), piece) {
  pbk::test::TempDir dir;
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) * 2 + 77);
  io::AtomicFile file(dir / "backup.tar");
  BOOST_TEST(file.partial_path() == dir / "backup.tar.partial");
  pbk::test::write_in_pieces(file.sink(), data, piece);
  BOOST_TEST(fs::exists(file.partial_path()));
  BOOST_TEST(!fs::exists(file.final_path()));
  file.commit();
  BOOST_TEST(!fs::exists(dir / "backup.tar.partial"));
  BOOST_TEST(pbk::test::read_file(dir / "backup.tar") == data);
}

// Lost if broken: with umask 0 an archive full of DKIM keys would be world-readable.
BOOST_AUTO_TEST_CASE(mode_is_0600_even_with_umask_0) {
  UmaskGuard umask_zero(0);
  pbk::test::TempDir dir;
  {
    io::AtomicFile file(dir / "a.tar");
    file.sink().write(std::string_view("x"));
    file.commit();
  }
  BOOST_TEST((mode_of(dir / "a.tar") == (fs::perms::owner_read | fs::perms::owner_write)));
}

// Lost if broken: a leftover world-readable .partial would keep its old, wider mode.
BOOST_AUTO_TEST_CASE(existing_partial_is_truncated_and_narrowed) {
  UmaskGuard umask_zero(0);
  pbk::test::TempDir dir;
  pbk::test::write_file(dir / "a.tar.partial", pbk::test::as_bytes("old and long content"));
  fs::permissions(dir / "a.tar.partial", fs::perms(0644));
  io::AtomicFile file(dir / "a.tar");
  file.sink().write(std::string_view("new"));
  file.commit();
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "a.tar")) == "new");
  BOOST_TEST((mode_of(dir / "a.tar") == fs::perms(0600)));
}

// Lost if broken: an interrupted backup would leave a file that looks complete, or litter.
BOOST_AUTO_TEST_CASE(destructor_without_commit_leaves_nothing) {
  pbk::test::TempDir dir;
  {
    io::AtomicFile file(dir / "a.tar");
    pbk::test::write_in_pieces(file.sink(), pbk::test::sample_bytes(3 << 20), 4096);
  }
  BOOST_TEST(fs::is_empty(dir.path()));
}

// Lost if broken: a failure mid-backup (disk full) would leave the .partial behind.
BOOST_AUTO_TEST_CASE(failure_mid_write_leaves_nothing) {
  pbk::test::TempDir dir;
  try {
    io::AtomicFile file(dir / "a.tar");
    pbk::test::FaultySink disk_full(file.sink(), 10'000, file.partial_path().string());
    pbk::test::write_in_pieces(disk_full, pbk::test::sample_bytes(50'000), 4096);
    BOOST_FAIL("the faulty sink did not fail");
  } catch (const IoError& e) {
    BOOST_TEST(e.err() == ENOSPC);
  }
  BOOST_TEST(fs::is_empty(dir.path()));
}

// Lost if broken: a failed backup would replace the previous good archive of the same name.
BOOST_AUTO_TEST_CASE(old_file_stays_until_commit) {
  pbk::test::TempDir dir;
  pbk::test::write_file(dir / "a.tar", pbk::test::as_bytes("previous"));
  {
    io::AtomicFile file(dir / "a.tar");
    file.sink().write(std::string_view("half"));
  }
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "a.tar")) == "previous");
  io::AtomicFile file(dir / "a.tar");
  file.sink().write(std::string_view("next"));
  file.commit();
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "a.tar")) == "next");
}

// Lost if broken: a typo in the output directory would give an error that hides the path.
BOOST_AUTO_TEST_CASE(missing_directory_is_an_io_error_naming_the_path) {
  pbk::test::TempDir dir;
  const auto target = dir / "no-such-dir" / "a.tar";
  try {
    io::AtomicFile file(target);
    BOOST_FAIL("AtomicFile did not throw");
  } catch (const IoError& e) {
    BOOST_TEST(e.what()
               == "cannot open " + target.string() + ".partial: No such file or directory");
    BOOST_TEST(e.err() == ENOENT);
  }
  BOOST_TEST(!fs::exists(dir / "no-such-dir"));
}

// Lost if broken: two backups given the same archive name would write into one file, and
// the one that finishes first would publish the other's half-written data.
BOOST_AUTO_TEST_CASE(exclusive_writers_never_share_a_partial) {
  pbk::test::TempDir dir;
  io::AtomicFile first(dir / "a.tar", 0600, io::Overwrite::exclusive);
  BOOST_CHECK_THROW(io::AtomicFile(dir / "a.tar", 0600, io::Overwrite::exclusive), IoError);
  first.sink().write(std::string_view("mine"));
  first.commit();
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "a.tar")) == "mine");
  BOOST_TEST(!fs::exists(dir / "a.tar.partial"));
}

// Lost if broken: an archive that appeared under the name while a backup ran would be
// silently replaced by it.
BOOST_AUTO_TEST_CASE(exclusive_commit_never_replaces_a_file) {
  pbk::test::TempDir dir;
  io::AtomicFile file(dir / "a.tar", 0600, io::Overwrite::exclusive);
  file.sink().write(std::string_view("new"));
  pbk::test::write_file(dir / "a.tar", pbk::test::as_bytes("existing"));
  BOOST_CHECK_THROW(file.commit(), IoError);
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "a.tar")) == "existing");
}

// Lost if it failed: whoever can create a file in the output, metrics or config directory
// could make root truncate and rewrite any file, and change its mode, by planting a symbolic
// link (or a hard link) under the .partial name.
BOOST_AUTO_TEST_CASE(a_link_planted_at_the_partial_is_never_written_through) {
  for (const auto overwrite : {io::Overwrite::replace, io::Overwrite::exclusive}) {
    for (const bool hard : {false, true}) {
      pbk::test::TempDir dir;
      pbk::test::write_file(dir / "victim", pbk::test::as_bytes("precious"));
      fs::permissions(dir / "victim", fs::perms(0640));
      if (hard) {
        fs::create_hard_link(dir / "victim", dir / "a.tar.partial");
      } else {
        fs::create_symlink(dir / "victim", dir / "a.tar.partial");
      }
      try {
        io::AtomicFile file(dir / "a.tar", 0600, overwrite);
        file.sink().write(std::string_view("new"));
        file.commit();
      } catch (const IoError& e) {
        BOOST_TEST(std::string(e.what()).find("a.tar.partial") != std::string::npos, e.what());
      }
      BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "victim")) == "precious");
      BOOST_TEST((mode_of(dir / "victim") == fs::perms(0640)));
    }
  }
}

// Lost if it failed: a symbolic link planted under the final name would have root write the
// file it points to.
BOOST_AUTO_TEST_CASE(a_link_planted_at_the_final_name_is_replaced_not_followed) {
  pbk::test::TempDir dir;
  pbk::test::write_file(dir / "victim", pbk::test::as_bytes("precious"));
  fs::permissions(dir / "victim", fs::perms(0640));
  fs::create_symlink(dir / "victim", dir / "metrics.prom");
  io::AtomicFile file(dir / "metrics.prom", 0644);
  file.sink().write(std::string_view("new"));
  file.commit();
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "victim")) == "precious");
  BOOST_TEST((mode_of(dir / "victim") == fs::perms(0640)));
  BOOST_TEST(fs::is_regular_file(fs::symlink_status(dir / "metrics.prom")));
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "metrics.prom")) == "new");
}

// Lost if it failed: a planted link would be silently removed and the operator never told
// that someone else writes to the directory; it is refused, naming the path.
BOOST_AUTO_TEST_CASE(a_planted_link_is_refused_with_its_name) {
  pbk::test::TempDir dir;
  fs::create_symlink(dir / "victim", dir / "a.prom.partial");
  try {
    io::AtomicFile file(dir / "a.prom");
    BOOST_FAIL("AtomicFile wrote through a planted link");
  } catch (const IoError& e) {
    BOOST_TEST(e.what()
               == (dir / "a.prom.partial").string()
                      + " exists and is not a file of this user (a link?); not writing through it");
  }
  BOOST_TEST(fs::is_symlink(dir / "a.prom.partial"));
  BOOST_TEST(!fs::exists(dir / "victim"));
}

BOOST_AUTO_TEST_SUITE_END()
