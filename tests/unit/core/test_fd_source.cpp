// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/fd.hpp"
#include "core/io/fd_source.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace io = pbk::core::io;
namespace bdata = boost::unit_test::data;
using pbk::core::IoError;

namespace {

std::vector<std::byte> read_all(io::FdSource& source, std::size_t piece) {
  std::vector<std::byte> out;
  std::vector<std::byte> buffer(piece);
  while (const std::size_t n = source.read(buffer)) {
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(FdSource)

// Lost if broken: restoring from a file would lose or repeat bytes at buffer edges.
BOOST_DATA_TEST_CASE(reads_a_file_with_any_buffer_size,
                     bdata::make(pbk::test::k_write_sizes),
                     piece) {
  pbk::test::TempDir dir;
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) * 2 + 5);
  pbk::test::write_file(dir / "in", data);
  auto fd = io::open_file(dir / "in", O_RDONLY);
  io::FdSource source(fd.get(), "in");
  BOOST_TEST(read_all(source, piece) == data);
}

// Lost if broken: `restore -` from a pipe would stop at the first short read.
BOOST_AUTO_TEST_CASE(reads_a_pipe_to_its_end) {
  const auto data = pbk::test::sample_bytes(1'000'000);
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  pbk::core::io::Fd read_end(fds[0]);
  std::thread writer([&] {
    pbk::core::io::Fd write_end(fds[1]);
    for (std::size_t pos = 0; pos < data.size();) {
      const ssize_t n = ::write(
          write_end.get(), data.data() + pos, std::min<std::size_t>(999, data.size() - pos));
      if (n <= 0) {
        return;
      }
      pos += static_cast<std::size_t>(n);
    }
  });
  io::FdSource source(read_end.get(), "standard input");
  const auto got = read_all(source, 1 << 16);
  writer.join();
  BOOST_TEST(got == data);
}

// Lost if broken: a read error would not say what was being read.
BOOST_AUTO_TEST_CASE(read_failure_names_the_label) {
  pbk::test::TempDir dir;
  auto fd = io::open_file(dir.path(), O_RDONLY | O_DIRECTORY);
  io::FdSource source(fd.get(), "backup.tar");
  std::vector<std::byte> buffer(16);
  try {
    (void)source.read(buffer);
    BOOST_FAIL("read did not throw");
  } catch (const IoError& e) {
    BOOST_TEST(e.what() == std::string("cannot read backup.tar: Is a directory"));
  }
}

BOOST_AUTO_TEST_SUITE_END()
