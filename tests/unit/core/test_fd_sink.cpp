// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/fd.hpp"
#include "core/io/fd_sink.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>

#include <vector>

namespace io = pbk::core::io;
namespace bdata = boost::unit_test::data;
using pbk::core::IoError;

BOOST_AUTO_TEST_SUITE(FdSink)

// Lost if broken: archives written in odd-sized pieces would be corrupt on disk.
BOOST_DATA_TEST_CASE(round_trips_any_write_size, bdata::make(pbk::test::k_write_sizes), piece) {
  pbk::test::TempDir dir;
  const auto data = pbk::test::sample_bytes(3 * io::FdSink::k_buffer_size + 123);
  auto fd = io::open_file(dir / "out", O_WRONLY | O_CREAT);
  io::FdSink sink(fd.get(), (dir / "out").string());
  pbk::test::write_in_pieces(sink, data, piece);
  sink.finish();
  fd.close();
  BOOST_TEST(pbk::test::read_file(dir / "out") == data);
}

// Lost if broken: the tail of an archive would stay in memory and never reach the file.
BOOST_AUTO_TEST_CASE(buffers_until_finish) {
  pbk::test::TempDir dir;
  auto fd = io::open_file(dir / "out", O_WRONLY | O_CREAT);
  io::FdSink sink(fd.get(), "out");
  sink.write(std::string_view("abc"));
  BOOST_TEST(pbk::test::read_file(dir / "out").empty());
  sink.finish();
  BOOST_TEST(pbk::test::as_string(pbk::test::read_file(dir / "out")) == "abc");
}

// Lost if broken: a full disk or bad descriptor would be reported without the file's name.
BOOST_AUTO_TEST_CASE(write_failure_names_the_label) {
  pbk::test::TempDir dir;
  auto fd = io::open_file(dir / "in", O_RDONLY | O_CREAT);
  io::FdSink sink(fd.get(), "/backups/x.partial");
  sink.write(std::string_view("abc"));
  try {
    sink.finish();
    BOOST_FAIL("finish did not throw");
  } catch (const IoError& e) {
    BOOST_TEST(e.what() == std::string("cannot write to /backups/x.partial: Bad file descriptor"));
    BOOST_TEST(e.err() == EBADF);
  }
}

BOOST_AUTO_TEST_SUITE_END()
