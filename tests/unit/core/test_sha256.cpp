// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
namespace hash = pbk::core::hash;

BOOST_AUTO_TEST_SUITE(Sha256)

// Lost if broken: digests in the manifest would not match `sha256sum`, and verify would
// either reject every backup or accept damaged ones.
BOOST_AUTO_TEST_CASE(known_vectors) {
  BOOST_TEST(hash::sha256_hex("")
             == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(hash::sha256_hex("abc")
             == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(hash::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
             == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Lost if broken: a digest would depend on how the stream happened to be cut into writes.
BOOST_DATA_TEST_CASE(incremental_equals_one_shot, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 999);
  hash::Sha256 sha;
  for (std::size_t pos = 0; pos < data.size(); pos += piece) {
    sha.update(std::span(data).subspan(pos, std::min(piece, data.size() - pos)));
  }
  BOOST_TEST(sha.finish_hex() == hash::sha256_hex(pbk::test::as_string(data)));
}

// Lost if broken: a programming error (hashing after the digest was taken) would go unnoticed.
BOOST_AUTO_TEST_CASE(finish_is_once) {
  hash::Sha256 sha;
  sha.update(std::string_view("abc"));
  (void)sha.finish_hex();
  BOOST_CHECK_THROW((void)sha.finish_hex(), pbk::core::Error);
  BOOST_CHECK_THROW(sha.update(std::string_view("x")), pbk::core::Error);
}

BOOST_AUTO_TEST_SUITE_END()
