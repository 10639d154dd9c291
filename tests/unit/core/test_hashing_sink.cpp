// SPDX-License-Identifier: MIT
#include "core/hash/hashing_sink.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

namespace bdata = boost::unit_test::data;
namespace hash = pbk::core::hash;
namespace io = pbk::core::io;

BOOST_AUTO_TEST_SUITE(HashingSink)

// Lost if broken: the manifest digest would not describe the bytes actually stored.
BOOST_DATA_TEST_CASE(passes_through_and_hashes, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 5);
  io::MemorySink out;
  hash::HashingSink hashing(out);
  pbk::test::write_in_pieces(hashing, data, piece);
  BOOST_TEST(hashing.hex_digest().empty());
  hashing.finish();
  BOOST_TEST(out.finished());
  BOOST_TEST(out.data() == data);
  BOOST_TEST(hashing.bytes() == data.size());
  BOOST_TEST(hashing.hex_digest() == hash::sha256_hex(pbk::test::as_string(data)));
}

// Lost if broken: `tar -xO ... | sha256sum` could not be used to check a member by hand.
BOOST_AUTO_TEST_CASE(matches_sha256sum) {
  pbk::test::TempDir dir;
  const auto data = pbk::test::sample_bytes(70'000);
  pbk::test::write_file(dir / "m", data);
  io::NullSink out;
  hash::HashingSink hashing(out);
  hashing.write(data);
  hashing.finish();
  std::FILE* pipe = ::popen(("sha256sum " + (dir / "m").string()).c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  char line[128] = {};
  const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  ::pclose(pipe);
  BOOST_REQUIRE(got);
  BOOST_TEST(std::string(line).substr(0, 64) == hashing.hex_digest());
}

BOOST_AUTO_TEST_SUITE_END()
