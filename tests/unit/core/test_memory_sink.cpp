// SPDX-License-Identifier: MIT
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace io = pbk::core::io;
namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(MemorySink)

// Lost if broken: small members such as backup.json would be stored with bytes missing.
BOOST_DATA_TEST_CASE(collects_everything, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 3);
  io::MemorySink sink;
  pbk::test::write_in_pieces(sink, data, piece);
  BOOST_TEST(!sink.finished());
  sink.finish();
  BOOST_TEST(sink.finished());
  BOOST_TEST(sink.data() == data);
  BOOST_TEST(sink.size() == data.size());
}

// Lost if broken: a reused buffer would carry the previous member's bytes into the next.
BOOST_AUTO_TEST_CASE(clear_starts_over) {
  io::MemorySink sink;
  sink.write(std::string_view("abc"));
  sink.finish();
  sink.clear();
  BOOST_TEST(sink.size() == 0U);
  BOOST_TEST(!sink.finished());
  sink.write(std::string_view("de"));
  BOOST_TEST(sink.view() == "de");
}

// Lost if broken: verify without a database (writing into NullSink) would fail.
BOOST_AUTO_TEST_CASE(null_sink_accepts_and_discards) {
  io::NullSink sink;
  BOOST_CHECK_NO_THROW(pbk::test::write_in_pieces(sink, pbk::test::sample_bytes(100'000), 4096));
  BOOST_CHECK_NO_THROW(sink.finish());
}

BOOST_AUTO_TEST_SUITE_END()
