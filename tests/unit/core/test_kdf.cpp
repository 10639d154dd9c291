// SPDX-License-Identifier: MIT
#include "core/crypto/hex.hpp"
#include "core/crypto/kdf.hpp"
#include "core/error.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>

namespace crypto = pbk::core::crypto;
using pbk::test::as_bytes;

BOOST_AUTO_TEST_SUITE(Kdf)

// Lost if broken: archives written by one build could not be opened by another build (or by
// another program following docs/format.md), because the master key would differ.
BOOST_AUTO_TEST_CASE(scrypt_matches_rfc_7914) {
  const auto key = crypto::scrypt(as_bytes("password"), as_bytes("NaCl"), {1024, 8, 16}, 64);
  BOOST_TEST(crypto::to_hex(key.bytes())
             == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

// Lost if broken: the subkeys of an archive would not be the ones the format specifies.
BOOST_AUTO_TEST_CASE(hkdf_matches_rfc_5869_case_3) {
  const std::vector<std::byte> ikm(22, std::byte{0x0b});
  BOOST_TEST(crypto::to_hex(crypto::hkdf_sha256(ikm, "", 42).bytes())
             == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                "9d201395faa4b61a96c8");
  BOOST_TEST(crypto::to_hex(crypto::hkdf_sha256(ikm, "a").bytes())
             != crypto::to_hex(crypto::hkdf_sha256(ikm, "b").bytes()));
}

// Lost if broken: key checks and manifest HMACs would not be what docs/format.md says.
BOOST_AUTO_TEST_CASE(hmac_matches_rfc_4231_case_2) {
  BOOST_TEST(crypto::to_hex(
                 crypto::hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?")))
             == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// Lost if broken: a crafted archive could make restore allocate gigabytes or spin for hours
// before the key check, or a typo in N would go unnoticed.
BOOST_AUTO_TEST_CASE(unreasonable_scrypt_parameters_are_refused) {
  BOOST_CHECK_THROW(crypto::check_scrypt_params({1000, 8, 1}), pbk::core::IntegrityError);
  BOOST_CHECK_THROW(crypto::check_scrypt_params({std::uint64_t{1} << 30, 8, 1}),
                    pbk::core::IntegrityError);
  BOOST_CHECK_THROW(crypto::check_scrypt_params({1 << 15, 0, 1}), pbk::core::IntegrityError);
  BOOST_CHECK_NO_THROW(crypto::check_scrypt_params({}));
  // 128 MiB is the most a reader spends (every command stays under 256 MiB); 256 MiB is not.
  BOOST_CHECK_NO_THROW(crypto::check_scrypt_params({std::uint64_t{1} << 16, 8, 1}));
  BOOST_CHECK_THROW(crypto::check_scrypt_params({std::uint64_t{1} << 18, 8, 1}),
                    pbk::core::IntegrityError);
}

// Lost if broken: every create and restore would pay seconds (or run out of memory) for the
// default key derivation.
BOOST_AUTO_TEST_CASE(default_scrypt_costs_well_under_a_second) {
  const auto started = std::chrono::steady_clock::now();
  const auto key = crypto::scrypt(as_bytes("secret"), as_bytes("0123456789abcdef"), {});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  BOOST_TEST_MESSAGE("scrypt N=2^15 r=8 p=1: " << seconds << " s");
  BOOST_TEST(key.size() == 32u);
  BOOST_TEST(seconds < 2.0); // ~0.1 s on a laptop; generous for loaded CI machines
}

BOOST_AUTO_TEST_SUITE_END()
