// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/memory_sink.hpp"
#include "core/tar/tar_reader.hpp"
#include "core/tar/tar_writer.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/crafted_tar.hpp"
#include "tests/support/memory_source.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace bdata = boost::unit_test::data;
namespace ar = pbk::core::tar;
namespace io = pbk::core::io;
using pbk::core::ExitCode;
using pbk::core::IntegrityError;

namespace {

std::vector<std::byte>
make_archive(const std::vector<std::pair<std::string, std::size_t>>& members) {
  io::MemorySink out;
  ar::TarWriter tar(out);
  std::uint32_t seed = 1;
  for (const auto& [path, size] : members) {
    tar.add_member(path, pbk::test::sample_bytes(size, seed++), 0);
  }
  tar.close();
  return out.data();
}

// Reads every member to its end; returns the IntegrityError message, "" if none.
std::string failure_of(std::span<const std::byte> input) {
  pbk::test::MemorySource source(input);
  try {
    ar::TarReader reader(source, "x.tar");
    std::vector<std::byte> buffer(4096);
    while (reader.next()) {
      while (reader.read(buffer) > 0) {
      }
    }
  } catch (const IntegrityError& e) {
    BOOST_TEST((e.code() == ExitCode::integrity));
    return e.what();
  }
  return "";
}

// Builds an archive with the system's tar; `command` runs in `dir` and writes x.tar there.
std::vector<std::byte> tar_binary_archive(const pbk::test::TempDir& dir,
                                          const std::string& command) {
  const std::string full = "cd " + dir.path().string() + " && " + command;
  BOOST_REQUIRE(std::system(full.c_str()) == 0);
  return pbk::test::read_file(dir / "x.tar");
}

} // namespace

BOOST_AUTO_TEST_SUITE(TarReader)

// Lost if broken: member data would be cut or repeated at buffer edges during a restore.
BOOST_DATA_TEST_CASE(reads_members_with_any_buffer_size,
                     bdata::make(pbk::test::k_write_sizes),
                     piece) {
  const auto archive = make_archive({{"a", 1'500'000}, {"empty", 0}, {"b", 513}});
  pbk::test::MemorySource source(archive, 65'537);
  ar::TarReader reader(source, "x.tar");
  std::uint32_t seed = 1;
  for (const auto& [path, size] : std::vector<std::pair<std::string, std::size_t>>{
           {"a", 1'500'000}, {"empty", 0}, {"b", 513}}) {
    const auto member = reader.next();
    BOOST_REQUIRE(member.has_value());
    BOOST_TEST(member->path == path);
    BOOST_TEST(member->size == static_cast<std::int64_t>(size));
    io::MemorySink data;
    std::vector<std::byte> buffer(piece);
    while (const std::size_t n = reader.read(buffer)) {
      data.write(std::span(buffer).first(n));
    }
    BOOST_TEST(data.data() == pbk::test::sample_bytes(size, seed++));
  }
  BOOST_TEST(!reader.next().has_value());
  BOOST_TEST(!reader.next().has_value());
}

// Lost if broken: `verify` and `inspect` could not skip members they do not need.
BOOST_AUTO_TEST_CASE(next_skips_unread_data) {
  const auto archive = make_archive({{"a", 100'000}, {"b", 10}});
  pbk::test::MemorySource source(archive);
  ar::TarReader reader(source, "x.tar");
  BOOST_TEST(reader.next()->path == "a");
  BOOST_TEST(reader.next()->path == "b");
  BOOST_TEST(!reader.next().has_value());
}

// Lost if broken: an archive repacked with GNU tar (e.g. by an operator) could not be read.
BOOST_AUTO_TEST_CASE(reads_archives_written_by_tar_binary) {
  pbk::test::TempDir dir;
  pbk::test::write_file(dir / "m", pbk::test::sample_bytes(3000));
  for (const std::string format : {"gnu", "pax", "ustar"}) {
    const auto archive = tar_binary_archive(dir, "tar --format=" + format + " -cf x.tar m");
    pbk::test::MemorySource source(archive);
    ar::TarReader reader(source, "x.tar");
    const auto member = reader.next();
    BOOST_REQUIRE(member.has_value());
    BOOST_TEST(member->path == "m");
    BOOST_TEST(member->size == 3000);
    BOOST_TEST(!reader.next().has_value());
  }
}

// Lost if broken: a backup cut short (full disk, interrupted copy) would restore partially.
BOOST_AUTO_TEST_CASE(truncated_inside_a_member_is_an_integrity_error) {
  const auto archive = make_archive({{"a", 10'000}, {"b", 100'000}});
  const auto message = failure_of(std::span(archive).first(archive.size() / 2));
  BOOST_TEST(message == "x.tar: archive truncated (Truncated tar archive)");
}

// Lost if broken: a backup cut exactly between two members would pass as complete.
BOOST_AUTO_TEST_CASE(truncated_between_members_is_an_integrity_error) {
  const auto archive = make_archive({{"a", 1024}, {"b", 1024}});
  for (const std::size_t keep : {std::size_t{1536}, archive.size() - 1024, archive.size() - 512}) {
    BOOST_TEST(failure_of(std::span(archive).first(keep))
               == "x.tar: archive truncated (the end-of-archive blocks are missing)");
  }
  BOOST_TEST(failure_of(archive) == "");
}

// Lost if broken: a wrong file given as the archive would be half-processed before failing.
BOOST_AUTO_TEST_CASE(random_bytes_are_not_a_tar_archive) {
  for (const std::size_t size : {std::size_t{0}, std::size_t{100}, std::size_t{3 << 20}}) {
    BOOST_TEST(failure_of(pbk::test::sample_bytes(size, 9))
               == "x.tar is not a tar archive (Unrecognized archive format)");
  }
}

// Lost if broken: a crafted archive could write outside the restore directory.
BOOST_AUTO_TEST_CASE(dotdot_member_is_rejected) {
  pbk::test::TempDir dir;
  std::filesystem::create_directory(dir / "sub");
  pbk::test::write_file(dir / "evil", pbk::test::as_bytes("x"));
  const auto archive = tar_binary_archive(dir, "tar -C sub -P -cf x.tar ../evil");
  BOOST_TEST(failure_of(archive) == "x.tar: member ../evil has a '..' path component");
  const auto inner = tar_binary_archive(dir, "tar -P --transform='s,^,a/../,' -cf x.tar evil");
  BOOST_TEST(failure_of(inner) == "x.tar: member a/../evil has a '..' path component");
}

// Lost if broken: a crafted archive could name absolute paths such as /etc/passwd.
BOOST_AUTO_TEST_CASE(absolute_member_is_rejected) {
  pbk::test::TempDir dir;
  pbk::test::write_file(dir / "abs", pbk::test::as_bytes("x"));
  const std::string path = (dir / "abs").string();
  const auto archive = tar_binary_archive(dir, "tar -P -cf x.tar " + path);
  BOOST_TEST(failure_of(archive) == "x.tar: member " + path + " has an absolute path");
}

// Lost if broken: symlinks, directories or hard links in an archive could redirect a restore.
BOOST_AUTO_TEST_CASE(non_regular_members_are_rejected) {
  pbk::test::TempDir dir;
  pbk::test::write_file(dir / "f", pbk::test::as_bytes("x"));
  std::filesystem::create_symlink("f", dir / "link");
  std::filesystem::create_directory(dir / "d");
  std::filesystem::create_hard_link(dir / "f", dir / "hard");
  BOOST_TEST(failure_of(tar_binary_archive(dir, "tar -cf x.tar link"))
             == "x.tar: member link is not a regular file");
  BOOST_TEST(failure_of(tar_binary_archive(dir, "tar -cf x.tar d"))
             == "x.tar: member d/ is not a regular file");
  BOOST_TEST(failure_of(tar_binary_archive(dir, "tar -cf x.tar f hard"))
             == "x.tar: member hard is not a regular file");
}

// Lost if broken: a few blocks stating a sparse member of gigabytes (GNU pax sparse, which
// libarchive fills with zeros) would make a reader hold or hash gigabytes of nothing.
BOOST_AUTO_TEST_CASE(sparse_members_are_rejected) {
  const std::string tar = pbk::test::tar_member("backup.json", "{}")
                          + pbk::test::tar_sparse_member("p/t/rows-000001.tsv.zst", 3ULL << 30)
                          + pbk::test::tar_end();
  BOOST_TEST(failure_of(pbk::test::as_bytes(tar))
             == "x.tar: member p/t/rows-000001.tsv.zst is a sparse file");
}

// Lost if broken: the size a header states is what callers bound before allocating; it
// must come through as stated (here 1 TiB) without the reader holding any of it, and the
// missing data must be damage, not an allocation failure.
BOOST_AUTO_TEST_CASE(a_huge_stated_size_is_reported_not_allocated) {
  const std::string tar = pbk::test::tar_member_stating("big", 1ULL << 40, "abc");
  const auto bytes = pbk::test::as_bytes(tar);
  pbk::test::MemorySource source(bytes);
  ar::TarReader reader(source, "x.tar");
  const auto member = reader.next();
  BOOST_REQUIRE(member.has_value());
  BOOST_TEST(member->size == std::int64_t{1} << 40);
  BOOST_TEST(failure_of(bytes).find("truncated") != std::string::npos, failure_of(bytes));
}

// Lost if broken: a read error on the archive file would be misreported as damage.
BOOST_AUTO_TEST_CASE(source_errors_propagate_unchanged) {
  class FailingSource : public io::ByteSource {
  public:
    std::size_t read(std::span<std::byte>) override {
      throw pbk::core::IoError("cannot read x.tar: Input/output error", EIO);
    }
  };

  FailingSource source;
  try {
    ar::TarReader reader(source, "x.tar");
    (void)reader.next();
    BOOST_FAIL("no error");
  } catch (const pbk::core::IoError& e) {
    BOOST_TEST(e.what() == std::string("cannot read x.tar: Input/output error"));
  }
}

BOOST_AUTO_TEST_SUITE_END()
