// SPDX-License-Identifier: MIT
#include "core/io/counting_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace io = pbk::core::io;
namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(CountingSink)

// Lost if broken: the manifest's raw sizes and row counts would be wrong, and verify would
// reject good backups.
BOOST_DATA_TEST_CASE(counts_bytes_and_newlines_passing_through,
                     bdata::make(pbk::test::k_write_sizes),
                     piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 4099);
  const auto lf = static_cast<std::uint64_t>(std::count(data.begin(), data.end(), std::byte{'\n'}));
  BOOST_REQUIRE(lf > 0);
  io::MemorySink out;
  io::CountingSink counter(out);
  pbk::test::write_in_pieces(counter, data, piece);
  counter.finish();
  BOOST_TEST(out.data() == data);
  BOOST_TEST(out.finished());
  BOOST_TEST(counter.bytes() == data.size());
  BOOST_TEST(counter.newlines() == lf);
}

// Lost if broken: an empty table would be counted as one row.
BOOST_AUTO_TEST_CASE(empty_stream_counts_zero) {
  io::MemorySink out;
  io::CountingSink counter(out);
  counter.finish();
  BOOST_TEST(counter.bytes() == 0U);
  BOOST_TEST(counter.newlines() == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
