// SPDX-License-Identifier: MIT
// The bytes of an archive that libarchive reads past: members' padding, the end-of-archive
// blocks and the checksum field's unused bytes. Crafted from archives TarWriter wrote.
#include "core/error.hpp"
#include "core/io/memory_sink.hpp"
#include "core/tar/tar_reader.hpp"
#include "core/tar/tar_writer.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ar = pbk::core::tar;
namespace io = pbk::core::io;

namespace {

using Members = std::vector<std::pair<std::string, std::vector<std::byte>>>;

// Two members, the first 100 bytes long so 412 bytes of padding follow it.
std::vector<std::byte> make_archive() {
  io::MemorySink out;
  ar::TarWriter tar(out);
  tar.add_member("postal/a/schema.sql.zst", pbk::test::sample_bytes(100, 1), 0);
  tar.add_member("manifest.json", pbk::test::sample_bytes(600, 2), 0);
  tar.close();
  return out.data();
}

// What a reader yields, or the IntegrityError's message in `failure`.
Members read_all(std::span<const std::byte> archive, std::string& failure, std::size_t piece) {
  pbk::test::MemorySource source(archive, piece);
  Members members;
  try {
    ar::TarReader reader(source, "x.tar");
    std::vector<std::byte> buffer(4096);
    while (const auto member = reader.next()) {
      members.emplace_back(member->path, std::vector<std::byte>{});
      while (const std::size_t n = reader.read(buffer)) {
        members.back().second.insert(
            members.back().second.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
      }
    }
  } catch (const pbk::core::IntegrityError& e) {
    failure = e.what();
  }
  return members;
}

std::string failure_of(const std::vector<std::byte>& archive) {
  std::string failure;
  (void)read_all(archive, failure, SIZE_MAX);
  return failure;
}

} // namespace

BOOST_AUTO_TEST_SUITE(TarLayoutCheck)

// Lost if broken: a byte flipped in a member's padding would verify as intact, so an archive
// with damage in it would be kept by prune as the newest good backup.
BOOST_AUTO_TEST_CASE(nonzero_padding_is_damage) {
  auto archive = make_archive();
  archive[512 + 300] = std::byte{0x20};
  BOOST_TEST(failure_of(archive)
             == "x.tar: damaged archive: a member's padding is not zeros (byte 812)");
}

// Lost if broken: damage in the end-of-archive blocks would go unseen.
BOOST_AUTO_TEST_CASE(nonzero_end_blocks_are_damage) {
  const auto good = make_archive();
  for (const std::size_t from_end : {std::size_t{1}, std::size_t{600}}) {
    auto archive = good;
    archive[archive.size() - from_end] = std::byte{0x01};
    BOOST_TEST(failure_of(archive).find("x.tar: ") == 0u);
  }
  auto last = good;
  last.back() = std::byte{0x01};
  BOOST_TEST(failure_of(last)
             == "x.tar: damaged archive: the end-of-archive blocks are not zeros (byte "
                    + std::to_string(good.size() - 512) + ")");
}

// Lost if broken: a checksum field changed where libarchive does not look (a leading digit
// turned into a space, the terminator changed) would read as the same header.
BOOST_AUTO_TEST_CASE(checksum_field_must_be_as_written) {
  const auto good = make_archive();
  BOOST_TEST_REQUIRE(static_cast<char>(good[148]) == '0');
  auto space = good;
  space[148] = std::byte{' '};
  auto terminator = good;
  terminator[148 + 6] = std::byte{0x01};
  auto last = good;
  last[148 + 7] = std::byte{0x00};
  for (const auto& archive : {space, terminator, last}) {
    BOOST_TEST(failure_of(archive)
               == "x.tar: damaged archive: a member header's checksum field is not in its "
                  "written form (byte 148)");
  }
}

// Lost if broken: an archive copied with record padding (GNU tar's blocking) or with bytes
// appended would be misjudged: zeros are padding, anything else is refused.
BOOST_AUTO_TEST_CASE(only_zeros_may_follow_the_end_blocks) {
  auto archive = make_archive();
  archive.resize(archive.size() + 8192);
  BOOST_TEST(failure_of(archive) == "");
  archive.push_back(std::byte{'x'});
  BOOST_TEST(failure_of(archive).find("data follows the end-of-archive blocks")
             != std::string::npos);
}

// Lost if broken: some flipped byte would be neither refused by the reader nor visible in what
// it yields (which the manifest's hashes check), and so would go unnoticed by verify.
BOOST_AUTO_TEST_CASE(every_flipped_byte_is_refused_or_changes_what_is_read) {
  const auto good = make_archive();
  std::string failure;
  const auto expected = read_all(good, failure, SIZE_MAX);
  BOOST_TEST_REQUIRE(failure == "");
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (const auto mask : {std::byte{0x01}, std::byte{0x10}, std::byte{0x80}}) {
      auto archive = good;
      archive[i] ^= mask;
      failure.clear();
      const auto members = read_all(archive, failure, 1000);
      BOOST_TEST((!failure.empty() || members != expected),
                 "byte " << i << " ^ " << static_cast<int>(mask) << " went unnoticed");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
