// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/byte_sink.hpp"
#include "core/rowcodec/row_decoder.hpp"
#include "core/rowcodec/row_encoder.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
using pbk::core::IntegrityError;
using pbk::core::rowcodec::RowDecoder;
using pbk::core::rowcodec::RowEncoder;
using namespace std::string_literals;

namespace {

using Row = std::vector<std::optional<std::string>>;

class StringSink : public pbk::core::io::ByteSink {
public:
  using ByteSink::write;

  void write(std::span<const std::byte> data) override {
    text.append(reinterpret_cast<const char*>(data.data()), data.size());
  }

  void finish() override {}

  std::string text;
};

std::string encode(const std::vector<Row>& rows) {
  StringSink sink;
  RowEncoder encoder(sink, 64); // small buffer: many flushes inside values
  for (const auto& row : rows) {
    std::vector<std::optional<std::string_view>> fields(row.begin(), row.end());
    encoder.encode(fields);
  }
  encoder.flush();
  return sink.text;
}

// Feeds `data` to a decoder in pieces of `piece` bytes and returns the rows it produced.
std::vector<Row> decode(std::string_view data, std::size_t piece) {
  std::vector<Row> rows;
  RowDecoder decoder(
      [&rows](std::span<const std::optional<std::string_view>> fields) {
        rows.emplace_back(fields.begin(), fields.end());
      },
      "test.tsv");
  for (std::size_t at = 0; at < data.size(); at += piece) {
    decoder.write(data.substr(at, piece));
  }
  decoder.finish();
  BOOST_TEST(decoder.rows() == rows.size());
  return rows;
}

std::string random_bytes(std::mt19937& rng, std::size_t size) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(size, '\0');
  std::generate(out.begin(), out.end(), [&] { return static_cast<char>(byte(rng)); });
  return out;
}

const std::vector<Row> k_edge_rows = {
    {std::nullopt, ""s, "\\N"s},
    {"a\0b\0"s},
    {"\\\0\n\t\r\x1A"s, "\\"s},
    {"\xff\xfe\x80\xc3"s, "mail \xF0\x9F\x93\xAC"s},
    {"ends with backslash\\"s, "\\\\"s, "N"s},
    {""s},
    {std::nullopt},
    {"\t"s, "\n"s, ""s, std::nullopt, "\r\n"s},
};

bool error_mentions(const IntegrityError& e, const std::string& text) {
  const std::string message = e.what();
  BOOST_TEST_MESSAGE(message);
  return message.rfind("test.tsv: ", 0) == 0 && message.find(text) != std::string::npos;
}

void expect_error(std::string_view data, const std::string& text) {
  for (const std::size_t piece : {std::size_t{1}, std::size_t{4096}}) {
    BOOST_CHECK_EXCEPTION(decode(data, piece), IntegrityError, [&](const IntegrityError& e) {
      return error_mentions(e, text);
    });
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(RowDecoderTest)

// A user would lose values whose bytes change between backup and restore.
BOOST_DATA_TEST_CASE(round_trips_edge_cases, bdata::make({1, 7, 4096}), piece) {
  const auto data = encode(k_edge_rows);
  BOOST_TEST((decode(data, static_cast<std::size_t>(piece)) == k_edge_rows));
}

// A user would lose binary rows (raw e-mails, DKIM keys) split at arbitrary write boundaries.
BOOST_DATA_TEST_CASE(round_trips_random_binary_rows, bdata::make({1, 7, 4096}), piece) {
  std::mt19937 rng(20240611);
  std::vector<Row> rows;
  for (int i = 0; i < 200; ++i) {
    Row row;
    for (int f = 0; f < 4; ++f) {
      if (rng() % 7 == 0) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(random_bytes(rng, rng() % 300));
      }
    }
    rows.push_back(std::move(row));
  }
  BOOST_TEST((decode(encode(rows), static_cast<std::size_t>(piece)) == rows));
}

// A user would lose raw e-mails at Postal's default size limit.
BOOST_DATA_TEST_CASE(round_trips_16_mib_value, bdata::make({7, 4096}), piece) {
  std::mt19937 rng(7);
  const std::vector<Row> rows{{random_bytes(rng, 16 * 1024 * 1024), std::nullopt}};
  BOOST_TEST((decode(encode(rows), static_cast<std::size_t>(piece)) == rows));
}

// A user would lose the small rows after a large one if the buffer given back after a large
// row (so it keeps no memory) or grown by quarters were mishandled.
BOOST_AUTO_TEST_CASE(rows_around_large_ones_survive_the_buffer_changes) {
  std::mt19937 rng(11);
  const std::vector<Row> rows{
      {"small"s, random_bytes(rng, 100)},
      {random_bytes(rng, 3 * 1024 * 1024 + 5), "after the growth"s},
      {"tiny"s, std::nullopt},
      {random_bytes(rng, (1 << 20) + 1), random_bytes(rng, 1 << 20)},
      {""s, "last"s},
  };
  for (const std::size_t piece : {std::size_t{4096}, std::size_t{1} << 20}) {
    BOOST_TEST((decode(encode(rows), piece) == rows));
  }
}

// A user would restore nothing from an empty table's data and must get zero rows, no error.
BOOST_AUTO_TEST_CASE(empty_input_has_no_rows) {
  BOOST_TEST(decode("", 1).empty());
}

// A user would restore garbage from a damaged archive if unknown escapes were accepted.
BOOST_AUTO_TEST_CASE(rejects_bad_escape) {
  expect_error("ok\nbad\\x\n", "row 2: invalid escape sequence \\x");
  expect_error("bad\\\x01\n", "invalid escape sequence \\\\x01");
}

// A user would restore a silently shortened table from a truncated archive member.
BOOST_AUTO_TEST_CASE(rejects_missing_final_newline) {
  expect_error("a\tb\nc\td", "row 2: data ends inside a row");
  expect_error("a\\", "data ends inside a row");
  expect_error("a\t", "data ends inside a row");
  expect_error("\\N", "data ends inside a row");
}

// A user would get NULL where a value was, or a value where NULL was, from a forged member.
BOOST_AUTO_TEST_CASE(rejects_misplaced_null_marker) {
  expect_error("a\\N\n", "\\N inside a field");
  expect_error("\\Nx\n", "data after \\N");
  expect_error("\\N\\N\n", "data after \\N");
}

namespace {

// What the decoder says about `data` under `limits`, fed in 1 MiB pieces; "" when it passed.
std::string limit_failure(const std::string& data,
                          const pbk::core::rowcodec::RowLimits& limits,
                          std::uint64_t* rows_seen = nullptr) {
  std::uint64_t rows = 0;
  try {
    RowDecoder decoder([&](auto) { ++rows; }, "t.tsv", limits);
    for (std::size_t at = 0; at < data.size(); at += 1 << 20) {
      decoder.write(std::string_view(data).substr(at, 1 << 20));
    }
    decoder.finish();
  } catch (const IntegrityError& e) {
    if (rows_seen != nullptr) {
      *rows_seen = rows;
    }
    return e.what();
  }
  return "";
}

} // namespace

// Lost if it failed: a member decompressing to one endless row (or one of backslash escapes)
// would be held whole in memory, gigabytes of it, before anything noticed.
BOOST_AUTO_TEST_CASE(a_row_beyond_the_largest_is_refused_before_it_is_held) {
  pbk::core::rowcodec::RowLimits limits;
  limits.max_row_bytes = 10;
  BOOST_TEST(limit_failure("0123456789\n", limits).empty());
  BOOST_TEST(limit_failure("01234\t56789\n", limits).empty());
  // A row exactly at the bound may still end with NULLs: \N adds no byte (a genuine archive
  // whose largest row ends in NULL fields was refused).
  BOOST_TEST(limit_failure("0123456789\t\\N\n", limits).empty());
  BOOST_TEST(limit_failure("0123456789a\n", limits).find("more than 10 bytes of values")
             != std::string::npos);
  // An escape unescapes to one byte, which counts too.
  BOOST_TEST(limit_failure("0123456789\\\\\n", limits).find("more than 10 bytes")
             != std::string::npos);
  // 16 MiB without a newline stops at the bound, whatever follows.
  BOOST_TEST(!limit_failure(std::string(16 << 20, 'a'), limits).empty());
}

// Lost if it failed: 64 MiB of TABs would become millions of field records (1 GiB), and a row
// with fewer or more fields than its table would reach the server (exit 1 instead of 4).
BOOST_AUTO_TEST_CASE(rows_with_other_field_counts_are_refused) {
  pbk::core::rowcodec::RowLimits limits;
  limits.fields = 2;
  BOOST_TEST(limit_failure("a\tb\nc\t\\N\n", limits).empty());
  BOOST_TEST(limit_failure("a\n", limits).find("the row has 1 fields, its table has 2 columns")
             != std::string::npos);
  BOOST_TEST(limit_failure("a\tb\tc\n", limits).find("more than 2 fields") != std::string::npos);
  BOOST_TEST(limit_failure(std::string(64 << 20, '\t'), limits).find("more than 2 fields")
             != std::string::npos);
  pbk::core::rowcodec::RowLimits capped;
  capped.max_fields = 4096;
  BOOST_TEST(limit_failure(std::string(64 << 20, '\t'), capped).find("more than 4096 fields")
             != std::string::npos);
}

// Lost if it failed: a 518-byte member expanding to 16.7 million rows would load them all
// into the server before the count was compared with the manifest.
BOOST_AUTO_TEST_CASE(more_rows_than_recorded_are_refused_before_they_are_handed_on) {
  pbk::core::rowcodec::RowLimits limits;
  limits.max_rows = 3;
  std::uint64_t rows = 0;
  BOOST_TEST(limit_failure("a\nb\nc\n", limits).empty());
  BOOST_TEST(limit_failure("a\nb\nc\nd\n", limits, &rows).find("more rows than the 3 recorded")
             != std::string::npos);
  BOOST_TEST(rows == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
