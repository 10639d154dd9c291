// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/fd.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace io = pbk::core::io;
using pbk::core::IoError;

BOOST_AUTO_TEST_SUITE(Fd)

// Lost if broken: descriptors leak or get closed twice, closing someone else's file.
BOOST_AUTO_TEST_CASE(move_transfers_ownership_and_close_is_once) {
  pbk::test::TempDir dir;
  auto a = io::open_file(dir / "f", O_WRONLY | O_CREAT);
  const int raw = a.get();
  BOOST_TEST(a.valid());
  io::Fd b = std::move(a);
  BOOST_TEST(!a.valid());
  BOOST_TEST(b.get() == raw);
  BOOST_TEST(::fcntl(raw, F_GETFD) >= 0);
  BOOST_TEST((::fcntl(raw, F_GETFD) & FD_CLOEXEC) != 0);
  b.close();
  BOOST_TEST(!b.valid());
  BOOST_TEST(::fcntl(raw, F_GETFD) == -1);
  b.close(); // a second close is a no-op, not a close of a recycled number
}

// Lost if broken: the caller of release() would find its descriptor closed under it.
BOOST_AUTO_TEST_CASE(release_gives_up_ownership) {
  pbk::test::TempDir dir;
  int raw = -1;
  {
    auto fd = io::open_file(dir / "f", O_WRONLY | O_CREAT);
    raw = fd.release();
  }
  BOOST_TEST(::fcntl(raw, F_GETFD) >= 0);
  ::close(raw);
}

// Lost if broken: a missing directory would give a message that does not say which file.
BOOST_AUTO_TEST_CASE(open_failure_names_the_path) {
  pbk::test::TempDir dir;
  const auto path = dir / "missing" / "f";
  try {
    (void)io::open_file(path, O_RDONLY);
    BOOST_FAIL("open_file did not throw");
  } catch (const IoError& e) {
    BOOST_TEST(e.what() == "cannot open " + path.string() + ": No such file or directory");
    BOOST_TEST(e.err() == ENOENT);
  }
}

BOOST_AUTO_TEST_SUITE_END()
