// SPDX-License-Identifier: MIT
#include "core/hash/running_digest_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace hash = pbk::core::hash;
namespace io = pbk::core::io;

BOOST_AUTO_TEST_SUITE(RunningDigestSink)

// Lost if broken: a table stored in several rows members would get a content checksum of its
// last member only (or of bytes it does not hold), and every drill of it would fail, or pass
// without comparing the whole table.
BOOST_AUTO_TEST_CASE(one_digest_spans_several_sinks_and_each_gets_its_bytes) {
  const auto data = pbk::test::as_string(pbk::test::sample_bytes(300'000));
  const auto cut = data.size() / 3;
  hash::Sha256 digest;
  io::MemorySink first;
  io::MemorySink second;
  {
    hash::RunningDigestSink sink(digest, &first);
    sink.write(std::string_view(data).substr(0, cut));
    sink.finish();
  }
  {
    hash::RunningDigestSink sink(digest, &second);
    sink.write(std::string_view(data).substr(cut));
    sink.finish();
  }
  BOOST_TEST(first.finished());
  BOOST_TEST(second.finished());
  BOOST_TEST(pbk::test::as_string(first.data()) == data.substr(0, cut));
  BOOST_TEST(pbk::test::as_string(second.data()) == data.substr(cut));
  BOOST_TEST(digest.finish_hex() == hash::sha256_hex(data));
}

// Lost if broken: the drill, which only hashes what it reads back, could not compute a table's
// checksum without a place to send the rows.
BOOST_AUTO_TEST_CASE(without_a_next_stage_it_only_hashes) {
  hash::Sha256 digest;
  hash::RunningDigestSink sink(digest, nullptr);
  sink.write(std::string_view("1\tabc\n2\t\\N\n"));
  sink.finish();
  BOOST_TEST(digest.finish_hex() == hash::sha256_hex("1\tabc\n2\t\\N\n"));
}

BOOST_AUTO_TEST_SUITE_END()
