// SPDX-License-Identifier: MIT
#include "core/io/byte_sink.hpp"
#include "core/rowcodec/row_encoder.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
using pbk::core::rowcodec::RowEncoder;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

class StringSink : public pbk::core::io::ByteSink {
public:
  using ByteSink::write;

  void write(std::span<const std::byte> data) override {
    text.append(reinterpret_cast<const char*>(data.data()), data.size());
    ++writes;
  }

  void finish() override {}

  std::string text;
  int writes = 0;
};

using Fields = std::vector<std::optional<std::string_view>>;

struct EncodeCase {
  std::string name;
  std::vector<std::optional<std::string>> fields;
  std::string expected;
};

std::ostream& operator<<(std::ostream& os, const EncodeCase& c) {
  return os << c.name;
}

Fields views(const std::vector<std::optional<std::string>>& fields) {
  Fields out;
  for (const auto& f : fields) {
    out.push_back(f ? std::optional<std::string_view>(*f) : std::nullopt);
  }
  return out;
}

const std::vector<EncodeCase> k_cases = {
    {"null and empty are distinct", {std::nullopt, ""s}, "\\N\t\n"},
    {"a literal backslash-N is not NULL", {"\\N"s}, "\\\\N\n"},
    {"binary with NUL bytes", {"a\0b\0"s}, "a\\0b\\0\n"},
    {"every escaped byte", {"\\\0\n\t\r\x1A"s}, "\\\\\\0\\n\\t\\r\\Z\n"},
    {"0xFF and other non-UTF-8 bytes verbatim", {"\xff\xfe\x80\xc3"s}, "\xff\xfe\x80\xc3\n"},
    {"4-byte UTF-8 verbatim", {"mail \xF0\x9F\x93\xAC"s}, "mail \xF0\x9F\x93\xAC\n"},
    {"value ending in a backslash", {"C:\\"s, "x"s}, "C:\\\\\tx\n"},
    {"quotes and commas are not special", {"'a',\"b\""s}, "'a',\"b\"\n"},
    {"one empty field", {""s}, "\n"},
    {"CR LF line ending", {"line\r\n"s}, "line\\r\\n\n"},
};

// The escape of one byte, spelled out independently of the encoder's tables.
std::string escaped_byte(char c) {
  switch (c) {
  case '\\':
    return "\\\\";
  case '\0':
    return "\\0";
  case '\n':
    return "\\n";
  case '\t':
    return "\\t";
  case '\r':
    return "\\r";
  case '\x1A':
    return "\\Z";
  default:
    return std::string(1, c);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(RowEncoderTest)

// A user would lose values that LOAD DATA reads back differently from how they were stored.
BOOST_DATA_TEST_CASE(encodes_edge_cases, bdata::make(k_cases), c) {
  for (const std::size_t buffer : {std::size_t{16}, RowEncoder::k_default_buffer}) {
    StringSink sink;
    RowEncoder encoder(sink, buffer);
    const auto fields = views(c.fields);
    encoder.encode(fields);
    encoder.flush();
    BOOST_TEST(sink.text == c.expected);
    BOOST_TEST(encoder.rows() == 1U);
    BOOST_TEST(encoder.bytes() == c.expected.size());
  }
}

// A user would get back altered mail if a byte needing an escape were missed at some offset
// of a long value (the scan compares 16 bytes at a time) or escaped where it stands alone.
BOOST_AUTO_TEST_CASE(escapes_a_special_byte_at_every_offset_of_a_long_value) {
  for (const char special : {'\\', '\0', '\n', '\t', '\r', '\x1A'}) {
    for (std::size_t offset = 0; offset < 48; ++offset) {
      std::string value(48, 'm');
      value[offset] = special;
      value[47 - offset] = special; // a second one, before or after the first
      std::string expected;
      for (const char c : value) {
        const auto escaped = escaped_byte(c);
        expected += escaped;
      }
      StringSink sink;
      RowEncoder encoder(sink);
      encoder.encode(Fields{value});
      encoder.flush();
      BOOST_TEST(sink.text == expected + "\n", "offset " << offset);
    }
  }
}

// A user would lose rows read straight from the server (RowView) if they encoded differently.
BOOST_AUTO_TEST_CASE(encodes_row_view_like_fields) {
  std::string a = "x\ty";
  std::string b = "\0"s;
  std::array<char*, 3> row{a.data(), nullptr, b.data()};
  std::array<unsigned long, 3> lengths{a.size(), 0, b.size()};
  StringSink sink;
  RowEncoder encoder(sink);
  encoder.encode(pbk::core::db::RowView(row.data(), lengths.data(), row.size()));
  encoder.flush();
  BOOST_TEST(sink.text == "x\\ty\t\\N\t\\0\n");
}

// A user would lose raw e-mails larger than the buffer (16 MiB is Postal's usual limit).
BOOST_AUTO_TEST_CASE(encodes_16_mib_value_in_bounded_writes) {
  std::string value(16 * 1024 * 1024, 'm');
  for (std::size_t i = 0; i < value.size(); i += 4099) {
    value[i] = static_cast<char>(i % 256);
  }
  std::string expected;
  for (const char ch : value) {
    switch (ch) {
    case '\\':
      expected += "\\\\";
      break;
    case '\0':
      expected += "\\0";
      break;
    case '\n':
      expected += "\\n";
      break;
    case '\t':
      expected += "\\t";
      break;
    case '\r':
      expected += "\\r";
      break;
    case '\x1A':
      expected += "\\Z";
      break;
    default:
      expected += ch;
    }
  }
  expected += '\n';
  StringSink sink;
  RowEncoder encoder(sink);
  const Fields fields{std::string_view(value)};
  encoder.encode(fields);
  encoder.flush();
  BOOST_TEST((sink.text == expected));
  BOOST_TEST(sink.writes > 60); // went out in buffer-sized pieces, not as one copy
}

// A user would lose the rows still in the buffer if flush() did not push them all.
BOOST_AUTO_TEST_CASE(flush_pushes_everything_and_counts) {
  StringSink sink;
  RowEncoder encoder(sink);
  encoder.flush(); // nothing buffered: no write
  BOOST_TEST(sink.writes == 0);
  const Fields row{"a"sv, std::nullopt};
  encoder.encode(row);
  encoder.encode(row);
  BOOST_TEST(sink.text.empty());
  encoder.flush();
  BOOST_TEST(sink.text == "a\t\\N\na\t\\N\n");
  BOOST_TEST(encoder.rows() == 2U);
  BOOST_TEST(encoder.bytes() == 10U);
}

BOOST_AUTO_TEST_SUITE_END()
