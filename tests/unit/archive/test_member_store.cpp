// SPDX-License-Identifier: MIT
// The repository's store and the reference entries that point into it: what an attacker who
// can write into the backup directory could plant there (links, odd references, damaged
// copies) must never be followed, trusted or shared by a new backup.
#include "archive/archive_scanner.hpp"
#include "archive/member_store.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/crafted_tar.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace pbk;
using namespace pbk::archive;
namespace fs = std::filesystem;

namespace {

std::span<const std::byte> bytes(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

MemberReference reference_of(const std::string& content) {
  return {core::hash::sha256_hex(content), content.size()};
}

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(MemberStoreTest)

// Lost if it failed: a reference entry edited to name another file (a path, a link, a
// different size) could make a reader open something outside the store or misjudge sizes.
BOOST_AUTO_TEST_CASE(only_exact_references_parse) {
  const std::string sha(64, 'a');
  const auto good = parse_reference(sha + " 12\n", "x");
  BOOST_TEST(good.sha256 == sha);
  BOOST_TEST(good.size == 12u);
  BOOST_TEST(parse_reference(sha + " 0\n", "x").size == 0u);
  for (const std::string& bad :
       std::vector<std::string>{sha + " 12",
                                sha + "  12\n",
                                sha + " 012\n",
                                sha + " -1\n",
                                sha + " 99999999999999999999999\n",
                                std::string(63, 'a') + " 1\n",
                                std::string(64, 'A') + " 1\n",
                                "../../../../etc/passwd" + std::string(42, 'a') + " 1\n",
                                sha + " 1\n\n",
                                std::string()}) {
    BOOST_CHECK_THROW((void)parse_reference(bad, "x"), core::IntegrityError);
  }
  BOOST_TEST(referenced_path("db/t/rows-000001.tsv.zst.ref") == "db/t/rows-000001.tsv.zst");
  BOOST_TEST(is_reference_path("a.ref"));
  BOOST_TEST(!is_reference_path(".ref"));
  BOOST_TEST(!is_reference_path("db/t/schema.sql.zst"));
}

// Lost if it failed: a stored member damaged on disk would be shared by every later backup
// that stores the same bytes, instead of being replaced by the intact copy in hand.
BOOST_AUTO_TEST_CASE(a_damaged_copy_is_replaced_and_an_intact_one_kept) {
  test::TempDir dir;
  const auto store = MemberStore::open_or_create(dir.path());
  const std::string content = "member bytes";
  const auto reference = reference_of(content);
  BOOST_TEST(store.put(reference, bytes(content)));
  BOOST_TEST(!store.put(reference, bytes(content))); // intact: nothing written
  const auto stored = dir / k_store_directory / reference.sha256;
  test::write_file(stored, bytes("member bytez"));
  BOOST_TEST(store.put(reference, bytes(content)));
  BOOST_TEST(file_text(stored) == content);
  BOOST_TEST(((fs::status(stored).permissions() & fs::perms::others_read) == fs::perms::none));
}

// Lost if it failed: a stored member replaced by a symbolic link (to /etc/shadow, say) would
// be read into a restore, or a missing one would surface as a crash instead of exit 4.
BOOST_AUTO_TEST_CASE(links_and_missing_or_resized_copies_are_refused) {
  test::TempDir dir;
  const auto store = MemberStore::open_or_create(dir.path());
  const std::string content = "member bytes";
  const auto reference = reference_of(content);
  BOOST_CHECK_THROW((void)store.open(reference, "m"), core::IntegrityError);
  test::write_file(dir / "elsewhere", bytes(content));
  fs::create_symlink(dir / "elsewhere", dir / k_store_directory / reference.sha256);
  BOOST_CHECK_THROW((void)store.open(reference, "m"), core::Error);
  fs::remove(dir / k_store_directory / reference.sha256);
  test::write_file(dir / k_store_directory / reference.sha256, bytes(content + "x"));
  BOOST_CHECK_THROW((void)store.open(reference, "m"), core::IntegrityError);
}

// Lost if it failed: a store directory that is a symbolic link (planted by someone who can
// write the backup directory) would send every new member elsewhere.
BOOST_AUTO_TEST_CASE(a_store_that_is_a_link_is_refused) {
  test::TempDir dir;
  test::TempDir elsewhere;
  fs::create_symlink(elsewhere.path(), dir / k_store_directory);
  BOOST_CHECK_THROW((void)MemberStore::open_or_create(dir.path()), core::Error);
}

// Lost if it failed: readers would not see a repository backup as the archive it describes,
// or a reference read from a pipe would be followed blindly.
BOOST_AUTO_TEST_CASE(the_scanner_reads_referenced_members_from_the_store) {
  test::TempDir dir;
  const auto store = MemberStore::open_or_create(dir.path());
  const std::string content = "stored member";
  const auto reference = reference_of(content);
  store.put(reference, bytes(content));
  const auto archive = dir / "backup.tar";
  test::write_file(
      archive,
      bytes(test::tar_archive(
          {{"backup.json", "{}"}, {"db/t/rows-000001.tsv.zst.ref", reference_text(reference)}})));
  ArchiveScanner scanner(archive.string());
  BOOST_TEST(scanner.next()->path == "backup.json");
  BOOST_TEST(!scanner.current_is_stored());
  const auto member = scanner.next();
  BOOST_TEST(member->path == "db/t/rows-000001.tsv.zst");
  BOOST_TEST(member->size == static_cast<std::int64_t>(content.size()));
  BOOST_TEST(scanner.current_is_stored());
  BOOST_TEST(scanner.read_text() == content);
  BOOST_TEST(scanner.stored_members_seen());
  BOOST_TEST(!scanner.next());
  fs::remove(dir / k_store_directory / reference.sha256);
  scanner.rewind();
  (void)scanner.next();
  BOOST_CHECK_THROW((void)scanner.next(), core::IntegrityError);
}

// Lost if it failed: two writers would interleave (a prune deleting what a create is about to
// reference), or a waiting writer would hang forever instead of failing with the lock's name.
BOOST_AUTO_TEST_CASE(the_lock_excludes_writers_and_gives_up_clearly) {
  test::TempDir dir;
  const auto store = MemberStore::open_or_create(dir.path());
  bool waited = false;
  const auto shared = lock_repository(
      store, core::io::LockMode::shared, std::chrono::seconds(0), [&] { waited = true; });
  const auto second = lock_repository(
      store, core::io::LockMode::shared, std::chrono::seconds(0), [&] { waited = true; });
  BOOST_TEST(!waited);
  try {
    (void)lock_repository(
        store, core::io::LockMode::exclusive, std::chrono::seconds(1), [&] { waited = true; });
    BOOST_FAIL("an exclusive lock was granted beside shared ones");
  } catch (const core::Error& e) {
    BOOST_TEST(waited);
    BOOST_TEST(std::string(e.what()).find("lock") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
