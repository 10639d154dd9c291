// SPDX-License-Identifier: MIT
#include "core/printable.hpp"

#include <boost/test/unit_test.hpp>

using pbk::core::LineBreaks;
using pbk::core::printable;

BOOST_AUTO_TEST_SUITE(Printable)

// Lost if it failed: a tag or database name holding ESC [ 2 J (clear screen) or an OSC title
// sequence would be executed by the terminal of whoever runs inspect, list or plan.
BOOST_AUTO_TEST_CASE(control_characters_are_escaped) {
  BOOST_TEST(printable("a\x1b[2Jb") == "a\\x1b[2Jb");
  BOOST_TEST(printable("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  BOOST_TEST(printable("del\x7f") == "del\\x7f");
  BOOST_TEST(printable("line\r\nnext\t") == "line\\x0d\\x0anext\\x09");
  BOOST_TEST(printable(std::string("nul\0", 4)) == "nul\\x00");
}

// Lost if it failed: C1 controls (U+009B is a one-character CSI) and bytes that are not UTF-8
// (a lone 0x9B is CSI to a terminal in an 8-bit mode) would reach the terminal raw.
BOOST_AUTO_TEST_CASE(c1_controls_and_invalid_utf8_are_escaped) {
  BOOST_TEST(printable("\xc2\x9b"
                       "31m")
             == "\\xc2\\x9b31m");
  BOOST_TEST(printable("\x9b") == "\\x9b");
  BOOST_TEST(printable("\xc0\xaf") == "\\xc0\\xaf");          // overlong '/'
  BOOST_TEST(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
  BOOST_TEST(printable("\xe2\x80") == "\\xe2\\x80");          // cut short
}

// Lost if it failed: names in other scripts, and release ranges with their en dash, would be
// shown as escapes.
BOOST_AUTO_TEST_CASE(printable_utf8_is_kept) {
  BOOST_TEST(printable("2.0.0–2.2.2 café ✓ 𝄞") == "2.0.0–2.2.2 café ✓ 𝄞");
  BOOST_TEST(printable("\xc2\xa0") == "\xc2\xa0"); // U+00A0, just past the C1 controls
}

// Lost if it failed: a name could fake an escape (a literal backslash-x) that reads like a
// byte it does not hold, or laid-out text would lose its lines.
BOOST_AUTO_TEST_CASE(backslashes_and_line_breaks) {
  BOOST_TEST(printable("a\\x1b") == "a\\\\x1b");
  BOOST_TEST(printable("one\ntwo\tx\x1b", LineBreaks::keep) == "one\ntwo\tx\\x1b");
  BOOST_TEST(printable("C:\\dir", LineBreaks::keep) == "C:\\dir");
}

BOOST_AUTO_TEST_SUITE_END()
