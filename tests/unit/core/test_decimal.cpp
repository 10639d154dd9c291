// SPDX-License-Identifier: MIT
#include "core/decimal.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

using pbk::core::parse_decimal;

BOOST_AUTO_TEST_SUITE(Decimal)

// Lost if it failed: numbers read from an archive or a server would be taken by prefix
// ("12abc" as 12), with spaces or signs, or wrapped ("4294967297" as 1), so forged values
// would pass as others instead of being refused.
BOOST_AUTO_TEST_CASE(only_whole_decimal_text_that_fits_is_a_number) {
  BOOST_TEST(parse_decimal<int>("0").value_or(-1) == 0);
  BOOST_TEST(parse_decimal<int>("2147483647").value_or(-1) == 2147483647);
  BOOST_TEST(parse_decimal<int>("-5").value_or(-1) == -5);
  BOOST_TEST(parse_decimal<std::uint64_t>("18446744073709551615").value_or(0) == UINT64_MAX);
  for (const std::string bad : {"", " 1", "1 ", "+1", "12abc", "0x10", "1.5", "2147483648"}) {
    BOOST_TEST(!parse_decimal<int>(bad).has_value(), bad);
  }
  BOOST_TEST(!parse_decimal<std::uint32_t>("4294967297").has_value());
  BOOST_TEST(!parse_decimal<std::uint64_t>("-1").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
