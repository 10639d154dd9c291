// SPDX-License-Identifier: MIT
#include "core/io/counting_source.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

namespace bdata = boost::unit_test::data;
namespace io = pbk::core::io;
using pbk::test::MemorySource;

BOOST_AUTO_TEST_SUITE(CountingSource)

// Lost if broken: a restore could not check a table's row count and size against the manifest.
BOOST_DATA_TEST_CASE(passes_through_and_counts, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 5);
  const auto lf = static_cast<std::uint64_t>(std::count(data.begin(), data.end(), std::byte{0x0A}));
  BOOST_REQUIRE(lf > 0U);
  MemorySource in(data, 3000);
  io::CountingSource counting(in);
  std::vector<std::byte> out;
  std::vector<std::byte> buffer(piece);
  for (std::size_t n = counting.read(buffer); n > 0; n = counting.read(buffer)) {
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  BOOST_TEST((out == data));
  BOOST_TEST(counting.bytes() == data.size());
  BOOST_TEST(counting.newlines() == lf);
}

// Lost if broken: rows whose values contain escaped newlines would be counted twice or not
// at all; only the raw LF bytes end rows.
BOOST_AUTO_TEST_CASE(counts_only_lf_bytes) {
  MemorySource in(pbk::test::as_bytes("a\\nb\r\tc\n\n\\N\n"));
  io::CountingSource counting(in);
  std::vector<std::byte> buffer(4);
  while (counting.read(buffer) > 0) {
  }
  BOOST_TEST(counting.newlines() == 3U);
  BOOST_TEST(counting.bytes() == 12U);
}

BOOST_AUTO_TEST_SUITE_END()
