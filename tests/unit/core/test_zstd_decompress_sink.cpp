// SPDX-License-Identifier: MIT
#include "core/compress/zstd_compress_sink.hpp"
#include "core/compress/zstd_decompress_sink.hpp"
#include "core/error.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace compress = pbk::core::compress;
namespace io = pbk::core::io;
using pbk::core::ExitCode;
using pbk::core::IntegrityError;

namespace {

std::vector<std::byte> compress_all(std::span<const std::byte> data) {
  io::MemorySink out;
  compress::ZstdCompressSink zstd(out);
  zstd.write(data);
  zstd.finish();
  return out.data();
}

// Decompresses `input` in 4 KiB writes and returns the IntegrityError message ("" if none).
std::string failure_of(std::span<const std::byte> input) {
  io::MemorySink out;
  compress::ZstdDecompressSink zstd(out, "postal/messages.0001");
  try {
    pbk::test::write_in_pieces(zstd, input, 4096);
    zstd.finish();
  } catch (const IntegrityError& e) {
    BOOST_TEST((e.code() == ExitCode::integrity));
    BOOST_TEST(!out.finished());
    return e.what();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(ZstdDecompressSink)

// Lost if broken: a damaged member would restore silently wrong data.
BOOST_AUTO_TEST_CASE(corrupted_checksum_is_an_integrity_error) {
  auto frame = compress_all(pbk::test::sample_bytes(200'000));
  frame.back() ^= std::byte{0x01}; // the last 4 bytes are the XXH64 content checksum
  BOOST_TEST(failure_of(frame)
             == "postal/messages.0001: zstd: Restored data doesn't match checksum");
}

// Lost if broken: damage inside the compressed blocks would not be reported as such.
BOOST_AUTO_TEST_CASE(corrupted_block_is_an_integrity_error) {
  auto frame = compress_all(pbk::test::sample_bytes(200'000));
  for (std::size_t i = frame.size() / 3; i < frame.size() / 3 + 64; ++i) {
    frame[i] ^= std::byte{0x5A};
  }
  BOOST_TEST(failure_of(frame).rfind("postal/messages.0001: zstd: ", 0) == 0U);
}

// Lost if broken: an archive cut short would restore a table with rows missing.
BOOST_AUTO_TEST_CASE(truncated_frame_is_an_integrity_error) {
  const auto frame = compress_all(pbk::test::sample_bytes(200'000));
  for (const std::size_t keep :
       {std::size_t{1}, std::size_t{5}, frame.size() / 2, frame.size() - 1}) {
    BOOST_TEST(failure_of(std::span(frame).first(keep))
               == "postal/messages.0001: truncated zstd frame");
  }
}

// Lost if broken: an empty member would pass as an empty table.
BOOST_AUTO_TEST_CASE(empty_input_is_an_integrity_error) {
  BOOST_TEST(failure_of({}) == "postal/messages.0001: empty input, expected a zstd frame");
}

// Lost if broken: garbage appended to a member would be ignored instead of flagged.
BOOST_AUTO_TEST_CASE(trailing_garbage_is_an_integrity_error) {
  auto frame = compress_all(pbk::test::as_bytes("row\n"));
  const auto garbage = pbk::test::as_bytes("not zstd at all");
  frame.insert(frame.end(), garbage.begin(), garbage.end());
  BOOST_TEST(failure_of(frame) == "postal/messages.0001: zstd: Unknown frame descriptor");
}

// Lost if broken: members written as several frames (or by `zstd` and `cat`) could not be read.
BOOST_AUTO_TEST_CASE(concatenated_frames_are_one_stream) {
  const auto a = pbk::test::sample_bytes(300'000, 1);
  const auto b = pbk::test::sample_bytes(5, 2);
  auto frames = compress_all(a);
  const auto second = compress_all(b);
  frames.insert(frames.end(), second.begin(), second.end());
  const auto third = compress_all({});
  frames.insert(frames.end(), third.begin(), third.end());
  io::MemorySink out;
  compress::ZstdDecompressSink zstd(out, "m");
  pbk::test::write_in_pieces(zstd, frames, 7);
  zstd.finish();
  auto expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  BOOST_TEST(out.data() == expected);
  BOOST_TEST(out.finished());
}

// Lost if broken: highly compressible data (long runs) would lose bytes the decoder still held
// when the input was used up.
BOOST_AUTO_TEST_CASE(large_expansion_is_fully_flushed) {
  const std::vector<std::byte> zeros(20 << 20, std::byte{0});
  const auto frame = compress_all(zeros);
  BOOST_TEST(frame.size() < 4096U);
  io::MemorySink out;
  compress::ZstdDecompressSink zstd(out, "m");
  zstd.write(frame);
  zstd.finish();
  BOOST_TEST(out.size() == zeros.size());
  BOOST_TEST((out.data() == zeros));
}

BOOST_AUTO_TEST_SUITE_END()
