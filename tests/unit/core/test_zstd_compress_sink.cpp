// SPDX-License-Identifier: MIT
#include "core/compress/zstd_compress_sink.hpp"
#include "core/compress/zstd_decompress_source.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

namespace bdata = boost::unit_test::data;
namespace compress = pbk::core::compress;
namespace io = pbk::core::io;

namespace {

std::vector<std::byte>
compress_all(std::span<const std::byte> data, std::size_t piece, int workers = 0) {
  io::MemorySink out;
  compress::ZstdCompressSink zstd(out, 3, workers);
  pbk::test::write_in_pieces(zstd, data, piece);
  zstd.finish();
  BOOST_TEST(out.finished());
  return out.data();
}

// Decodes `data` read `piece` bytes at a time, through the decoder verify and restore use.
std::vector<std::byte> decompress_all(std::span<const std::byte> data, std::size_t piece) {
  pbk::test::MemorySource in(data, piece);
  compress::ZstdDecompressSource zstd(in, "member");
  std::vector<std::byte> out;
  std::vector<std::byte> buffer(64 * 1024);
  while (const std::size_t n = zstd.read(buffer)) {
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ZstdCompressSink)

// Lost if broken: table data written in odd-sized pieces would not come back byte for byte.
BOOST_DATA_TEST_CASE(round_trips_any_write_size, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto data = pbk::test::sample_bytes((std::size_t{1} << 20) * 2 + 321);
  const auto compressed = compress_all(data, piece);
  BOOST_TEST(compressed.size() < data.size());
  BOOST_TEST(decompress_all(compressed, piece) == data);
}

// Lost if broken: an empty table would give a member that cannot be read back.
BOOST_AUTO_TEST_CASE(empty_input_is_one_valid_frame) {
  const auto compressed = compress_all({}, 1);
  BOOST_TEST(!compressed.empty());
  BOOST_TEST(decompress_all(compressed, 1).empty());
}

// Lost if broken: --threads would corrupt data or fail to start.
BOOST_AUTO_TEST_CASE(workers_round_trip) {
  const auto data = pbk::test::sample_bytes(5 << 20, 7);
  BOOST_TEST(decompress_all(compress_all(data, 1 << 20, 2), 4096) == data);
}

// Lost if broken: people recovering data by hand with `zstd -d` could not read our members,
// or damage would go unnoticed because the frame has no checksum.
BOOST_AUTO_TEST_CASE(zstd_cli_accepts_frame_and_sees_checksum) {
  pbk::test::TempDir dir;
  const auto data = pbk::test::sample_bytes(300'000);
  pbk::test::write_file(dir / "m.zst", compress_all(data, 4096));
  const std::string file = (dir / "m.zst").string();
  BOOST_TEST(std::system(("zstd -q -t " + file).c_str()) == 0);
  BOOST_TEST(std::system(("zstd -q -d " + file + " -o " + (dir / "m").string()).c_str()) == 0);
  BOOST_TEST(pbk::test::read_file(dir / "m") == data);
  // zstd -lv prints "Check: XXH64" only for frames that carry a content checksum.
  const std::string list = "zstd -lv " + file + " 2>/dev/null | grep -q 'Check: XXH64'";
  BOOST_TEST(std::system(list.c_str()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
