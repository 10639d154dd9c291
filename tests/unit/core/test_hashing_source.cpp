// SPDX-License-Identifier: MIT
#include "core/hash/hashing_source.hpp"
#include "core/hash/sha256.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
namespace hash = pbk::core::hash;
using pbk::test::MemorySource;

BOOST_AUTO_TEST_SUITE(HashingSource)

// Lost if broken: a restore could not tell a damaged member from the one the manifest describes.
BOOST_DATA_TEST_CASE(passes_through_and_hashes, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 5);
  MemorySource in(data, 5000); // short reads, as from a tar member
  hash::HashingSource hashing(in);
  std::vector<std::byte> out;
  std::vector<std::byte> buffer(piece);
  for (;;) {
    const std::size_t n = hashing.read(buffer);
    if (n == 0) {
      break;
    }
    BOOST_TEST(hashing.hex_digest().empty());
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  BOOST_TEST((out == data));
  BOOST_TEST(hashing.bytes() == data.size());
  BOOST_TEST(hashing.hex_digest() == hash::sha256_hex(pbk::test::as_string(data)));
  // Reading on at the end neither fails nor changes the digest.
  BOOST_TEST(hashing.read(buffer) == 0U);
  BOOST_TEST(hashing.hex_digest() == hash::sha256_hex(pbk::test::as_string(data)));
}

// Lost if broken: an empty member's digest could never match the manifest's.
BOOST_AUTO_TEST_CASE(empty_input_has_the_empty_digest) {
  MemorySource in({});
  hash::HashingSource hashing(in);
  std::vector<std::byte> buffer(16);
  BOOST_TEST(hashing.read(buffer) == 0U);
  BOOST_TEST(hashing.bytes() == 0U);
  BOOST_TEST(hashing.hex_digest()
             == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// Lost if broken: a caller passing an empty buffer would end the digest before the data did.
BOOST_AUTO_TEST_CASE(empty_buffer_does_not_end_the_digest) {
  MemorySource in(pbk::test::as_bytes("abc"));
  hash::HashingSource hashing(in);
  BOOST_TEST(hashing.read(std::span<std::byte>()) == 0U);
  BOOST_TEST(hashing.hex_digest().empty());
  std::vector<std::byte> buffer(16);
  BOOST_TEST(hashing.read(buffer) == 3U);
  BOOST_TEST(hashing.read(buffer) == 0U);
  BOOST_TEST(hashing.hex_digest() == hash::sha256_hex("abc"));
}

BOOST_AUTO_TEST_SUITE_END()
