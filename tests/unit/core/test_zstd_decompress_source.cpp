// SPDX-License-Identifier: MIT
#include "core/compress/zstd_compress_sink.hpp"
#include "core/compress/zstd_decompress_source.hpp"
#include "core/error.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
namespace compress = pbk::core::compress;
namespace io = pbk::core::io;
using pbk::core::ExitCode;
using pbk::core::IntegrityError;
using pbk::test::MemorySource;

namespace {

std::vector<std::byte> compress_all(std::span<const std::byte> data) {
  io::MemorySink out;
  compress::ZstdCompressSink zstd(out);
  zstd.write(data);
  zstd.finish();
  return out.data();
}

// Reads `source` to its end in reads of `piece` bytes.
std::vector<std::byte> read_all(io::ByteSource& source, std::size_t piece) {
  std::vector<std::byte> out;
  std::vector<std::byte> buffer(piece);
  for (;;) {
    const std::size_t n = source.read(buffer);
    if (n == 0) {
      return out;
    }
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
}

// Decompresses `input` (delivered 4 KiB at a time) and returns the IntegrityError message.
std::string failure_of(std::span<const std::byte> input) {
  MemorySource in(input, 4096);
  compress::ZstdDecompressSource zstd(in, "postal/messages.0001");
  try {
    (void)read_all(zstd, 65536);
  } catch (const IntegrityError& e) {
    BOOST_TEST((e.code() == ExitCode::integrity));
    return e.what();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(ZstdDecompressSource)

// Lost if broken: a restore would feed the server other bytes than the backup stored, for some
// read sizes (the client library and the decoder ask for different amounts).
BOOST_DATA_TEST_CASE(round_trips_any_read_size, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) + 5);
  const auto frame = compress_all(data);
  for (const std::size_t input_piece : {std::size_t{1}, std::size_t{4096}, SIZE_MAX}) {
    BOOST_TEST_CONTEXT("input delivered " << input_piece << " bytes at a time") {
      MemorySource in(frame, input_piece);
      compress::ZstdDecompressSource zstd(in, "m");
      BOOST_TEST((read_all(zstd, piece) == data));
      std::vector<std::byte> more(16);
      BOOST_TEST(zstd.read(more) == 0U); // the end stays the end
    }
  }
}

// Lost if broken: highly compressible rows (long runs) would lose bytes the decoder still held
// when its input was used up.
BOOST_AUTO_TEST_CASE(large_expansion_is_fully_delivered) {
  const std::vector<std::byte> zeros(20 << 20, std::byte{0});
  const auto frame = compress_all(zeros);
  BOOST_TEST(frame.size() < 4096U);
  MemorySource in(frame);
  compress::ZstdDecompressSource zstd(in, "m");
  const auto out = read_all(zstd, 1000);
  BOOST_TEST(out.size() == zeros.size());
  BOOST_TEST((out == zeros));
}

// Lost if broken: members written as several frames (or by `zstd` and `cat`) could not be read.
BOOST_AUTO_TEST_CASE(concatenated_frames_are_one_stream) {
  const auto a = pbk::test::sample_bytes(300'000, 1);
  const auto b = pbk::test::sample_bytes(5, 2);
  auto frames = compress_all(a);
  const auto empty = compress_all({});
  frames.insert(frames.end(), empty.begin(), empty.end());
  const auto second = compress_all(b);
  frames.insert(frames.end(), second.begin(), second.end());
  MemorySource in(frames, 7);
  compress::ZstdDecompressSource zstd(in, "m");
  auto expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  BOOST_TEST((read_all(zstd, 4096) == expected));
}

// Lost if broken: an empty member (no frame at all, which `zstd -t` refuses) would pass as an
// empty table. An empty table's member holds
// one frame of no content, and reads as empty.
BOOST_AUTO_TEST_CASE(empty_input_is_an_integrity_error) {
  MemorySource in({});
  compress::ZstdDecompressSource zstd(in, "m");
  BOOST_CHECK_EXCEPTION(read_all(zstd, 4096), pbk::core::IntegrityError, [](const auto& e) {
    return std::string(e.what()) == "m: empty input, expected a zstd frame";
  });
  const auto frame = compress_all({});
  MemorySource empty_frame(frame);
  compress::ZstdDecompressSource empty_zstd(empty_frame, "m");
  BOOST_TEST(read_all(empty_zstd, 4096).empty());
}

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

// Lost if broken: a single flipped byte in the frame header would go unnoticed.
BOOST_AUTO_TEST_CASE(corrupted_magic_is_an_integrity_error) {
  auto frame = compress_all(pbk::test::as_bytes("row\n"));
  frame[0] ^= std::byte{0x01};
  BOOST_TEST(failure_of(frame) == "postal/messages.0001: zstd: Unknown frame descriptor");
}

// Lost if broken: an archive cut short would restore a table with rows missing.
BOOST_AUTO_TEST_CASE(truncated_frame_is_an_integrity_error) {
  const auto frame = compress_all(pbk::test::sample_bytes(200'000));
  for (const std::size_t keep :
       {std::size_t{1}, std::size_t{5}, frame.size() / 2, frame.size() - 1}) {
    BOOST_TEST_CONTEXT("kept " << keep << " bytes") {
      BOOST_TEST(failure_of(std::span(frame).first(keep))
                 == "postal/messages.0001: truncated zstd frame");
    }
  }
}

// Lost if broken: garbage appended to a member would be ignored instead of flagged.
BOOST_AUTO_TEST_CASE(trailing_garbage_is_an_integrity_error) {
  auto frame = compress_all(pbk::test::as_bytes("row\n"));
  const auto garbage = pbk::test::as_bytes("not zstd at all");
  frame.insert(frame.end(), garbage.begin(), garbage.end());
  BOOST_TEST(failure_of(frame) == "postal/messages.0001: zstd: Unknown frame descriptor");
}

BOOST_AUTO_TEST_SUITE_END()
