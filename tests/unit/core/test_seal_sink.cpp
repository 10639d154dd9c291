// SPDX-License-Identifier: MIT
#include "core/crypto/chunk_cipher.hpp"
#include "core/crypto/open_sink.hpp"
#include "core/crypto/open_source.hpp"
#include "core/crypto/seal_sink.hpp"
#include "core/error.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/memory_source.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

namespace bdata = boost::unit_test::data;
namespace crypto = pbk::core::crypto;
using Bytes = std::vector<std::byte>;

namespace {

constexpr std::size_t k_mib = std::size_t{1} << 20;
const std::string k_path = "postal/credentials/rows-000001.tsv.zst.sealed";

crypto::SecretBytes test_key(std::uint8_t fill = 7) {
  return crypto::SecretBytes(Bytes(32, std::byte{fill}));
}

Bytes seal(const Bytes& plain, const crypto::SecretBytes& key, std::size_t piece = 4096) {
  pbk::core::io::MemorySink out;
  crypto::SealSink sink(out, key, k_path);
  pbk::test::write_in_pieces(sink, plain, piece);
  sink.finish();
  return out.data();
}

Bytes open_pushed(const Bytes& sealed,
                  const crypto::SecretBytes& key,
                  const std::string& path = k_path) {
  pbk::core::io::MemorySink out;
  crypto::OpenSink sink(out, key, path, "test member");
  pbk::test::write_in_pieces(sink, sealed, 7777);
  sink.finish();
  return out.data();
}

Bytes open_pulled(const Bytes& sealed, const crypto::SecretBytes& key) {
  pbk::test::MemorySource in(sealed);
  crypto::OpenSource source(in, key, k_path, "test member");
  Bytes out;
  std::array<std::byte, 5000> buffer{};
  while (const auto n = source.read(buffer)) {
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return out;
}

std::size_t sealed_size(std::size_t plain) {
  const std::size_t chunks = plain == 0 ? 1 : (plain + k_mib - 1) / k_mib;
  return crypto::k_prefix_size + plain + chunks * crypto::k_tag_size;
}

void expect_integrity_error(const Bytes& sealed, const std::string& fragment) {
  const auto key = test_key();
  try {
    (void)open_pushed(sealed, key);
    BOOST_ERROR("damaged sealed data opened");
  } catch (const pbk::core::IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos, e.what());
    BOOST_TEST(std::string(e.what()).find("test member") != std::string::npos, e.what());
  }
  BOOST_CHECK_THROW((void)open_pulled(sealed, key), pbk::core::IntegrityError);
}

} // namespace

BOOST_AUTO_TEST_SUITE(SealSink)

const std::vector<std::size_t> k_sizes{0, 1, k_mib - 1, k_mib, k_mib + 1, 3 * k_mib + 1};

// Lost if broken: an encrypted backup whose member size sits at a chunk edge (empty tables,
// exactly 1 MiB, several MiB) would not restore to the same bytes.
BOOST_DATA_TEST_CASE(round_trip_across_chunk_boundaries, bdata::make(k_sizes), size) {
  const auto plain = pbk::test::sample_bytes(size, 3);
  const auto key = test_key();
  const auto sealed = seal(plain, key);
  BOOST_TEST(sealed.size() == sealed_size(size));
  BOOST_TEST((open_pushed(sealed, key) == plain));
  BOOST_TEST((open_pulled(sealed, key) == plain));
}

// Lost if broken: the sealed bytes would depend on how the compressor happened to cut its
// writes, and a chunk could be flagged final too early.
BOOST_DATA_TEST_CASE(write_pattern_does_not_matter, bdata::make(pbk::test::k_write_sizes), piece) {
  const auto plain = pbk::test::sample_bytes(2 * k_mib, 5);
  const auto key = test_key();
  BOOST_TEST((open_pushed(seal(plain, key, piece), key) == plain));
}

// Lost if broken: two members sealed with one key would share nonces, which breaks GCM.
BOOST_AUTO_TEST_CASE(each_member_gets_a_fresh_prefix) {
  const auto plain = pbk::test::sample_bytes(100);
  const auto key = test_key();
  const auto a = seal(plain, key);
  const auto b = seal(plain, key);
  BOOST_TEST((Bytes(a.begin(), a.begin() + 8) != Bytes(b.begin(), b.begin() + 8)));
  BOOST_TEST((a != b));
}

// Lost if broken: data sealed with one key would be "opened" with another into garbage.
BOOST_AUTO_TEST_CASE(wrong_key_does_not_open) {
  const auto sealed = seal(pbk::test::sample_bytes(1000), test_key(7));
  BOOST_CHECK_THROW((void)open_pushed(sealed, test_key(8)), pbk::core::IntegrityError);
}

// Lost if broken: a member could be moved to another member's path (e.g. rows of one table
// loaded into another) without notice.
BOOST_AUTO_TEST_CASE(path_is_authenticated) {
  const auto key = test_key();
  const auto sealed = seal(pbk::test::sample_bytes(1000), key);
  BOOST_CHECK_THROW((void)open_pushed(sealed, key, "postal/other/rows-000001.tsv.zst.sealed"),
                    pbk::core::IntegrityError);
}

// Lost if broken: one flipped bit on disk in any part of a sealed member would go unnoticed
// and the restore would load altered rows.
BOOST_AUTO_TEST_CASE(flipped_byte_in_prefix_body_or_tag_is_refused) {
  const auto sealed = seal(pbk::test::sample_bytes(k_mib + 100), test_key());
  const std::vector<std::pair<std::size_t, std::string>> spots{
      {0, "chunk 1"},                                 // prefix
      {crypto::k_prefix_size + 10, "chunk 1"},        // body of the first chunk
      {crypto::k_prefix_size + k_mib + 3, "chunk 1"}, // tag of the first chunk
      {sealed.size() - 1, "chunk 2"},                 // tag of the final chunk
      {crypto::k_prefix_size + k_mib + crypto::k_tag_size + 1, "chunk 2"}}; // final body
  for (const auto& [at, fragment] : spots) {
    auto damaged = sealed;
    damaged[at] ^= std::byte{0x01};
    expect_integrity_error(damaged, fragment);
  }
}

// Lost if broken: an archive cut off at a chunk edge (a full disk, an interrupted copy) would
// restore a silently shortened table.
BOOST_AUTO_TEST_CASE(truncation_at_a_chunk_boundary_is_refused) {
  const auto sealed = seal(pbk::test::sample_bytes(2 * k_mib + 5), test_key());
  const Bytes cut(
      sealed.begin(),
      sealed.begin()
          + static_cast<std::ptrdiff_t>(crypto::k_prefix_size + 2 * (k_mib + crypto::k_tag_size)));
  expect_integrity_error(cut, "truncated");
  expect_integrity_error(Bytes(sealed.begin(), sealed.begin() + 5), "truncated");
  expect_integrity_error(Bytes(sealed.begin(), sealed.end() - 1), "chunk 3");
}

// Lost if broken: chunks swapped by an attacker or a broken copy tool would be accepted.
BOOST_AUTO_TEST_CASE(reordered_chunks_are_refused) {
  const auto sealed = seal(pbk::test::sample_bytes(3 * k_mib, 9), test_key());
  const auto chunk = static_cast<std::ptrdiff_t>(k_mib + crypto::k_tag_size);
  const auto first = sealed.begin() + static_cast<std::ptrdiff_t>(crypto::k_prefix_size);
  Bytes swapped(sealed.begin(), first);
  swapped.insert(swapped.end(), first + chunk, first + 2 * chunk);
  swapped.insert(swapped.end(), first, first + chunk);
  swapped.insert(swapped.end(), first + 2 * chunk, sealed.end());
  expect_integrity_error(swapped, "chunk 1");
}

// Lost if broken: bytes appended after the final chunk would be accepted as part of a member.
BOOST_AUTO_TEST_CASE(data_after_the_final_chunk_is_refused) {
  auto sealed = seal(pbk::test::sample_bytes(100), test_key());
  sealed.push_back(std::byte{0});
  BOOST_CHECK_THROW((void)open_pushed(sealed, test_key()), pbk::core::IntegrityError);
}

BOOST_AUTO_TEST_SUITE_END()
