// SPDX-License-Identifier: MIT
#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/memory_sink.hpp"
#include "core/tar/tar_reader.hpp"
#include "core/tar/tar_writer.hpp"
#include "tests/support/byte_data.hpp"
#include "tests/support/faulty_sink.hpp"
#include "tests/support/memory_source.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace ar = pbk::core::tar;
namespace io = pbk::core::io;
using pbk::core::IntegrityError;
using pbk::core::IoError;

namespace {

#if defined(__SANITIZE_ADDRESS__)
// An abandoned TarWriter must call archive_write_fail(), after which libarchive before PR #2729
// (issue #1568) leaks its output buffer. Known and bounded; keep it out of sanitizer reports.
using KnownLibarchiveLeak = __lsan::ScopedDisabler;
#else
struct KnownLibarchiveLeak {};
#endif

const std::string k_long_path = "postal-server-3/" + std::string(120, 'x') + "/messages.0001";

std::map<std::string, std::vector<std::byte>> sample_members() {
  return {
      {"backup.json", pbk::test::sample_bytes(700, 1)},
      {"postal/empty.0001", {}},
      {"postal/messages.0001", pbk::test::sample_bytes(3 << 20, 2)},
      {k_long_path, pbk::test::sample_bytes(512, 3)},
      {"manifest.json", pbk::test::sample_bytes(5, 4)},
  };
}

void write_members(io::ByteSink& out,
                   const std::map<std::string, std::vector<std::byte>>& members) {
  ar::TarWriter tar(out);
  for (const auto& [path, data] : members) {
    tar.add_member(path, data, 1'700'000'000);
  }
  tar.close();
}

std::string run(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
    output.append(buffer, n);
  }
  BOOST_TEST(::pclose(pipe) == 0);
  return output;
}

} // namespace

BOOST_AUTO_TEST_SUITE(TarWriter)

// Lost if broken: a restore would not get back exactly the members a backup wrote.
BOOST_AUTO_TEST_CASE(round_trips_through_tar_reader) {
  const auto members = sample_members();
  io::MemorySink out;
  write_members(out, members);
  BOOST_TEST(!out.finished()); // close() ends the archive, not the stage after it
  pbk::test::MemorySource source(out.data(), 100'003);
  ar::TarReader reader(source, "a.tar");
  std::map<std::string, std::vector<std::byte>> read_back;
  while (const auto member = reader.next()) {
    std::vector<std::byte> data(static_cast<std::size_t>(member->size) + 1);
    std::size_t used = 0;
    while (const std::size_t n = reader.read(std::span(data).subspan(used))) {
      used += n;
    }
    data.resize(used);
    BOOST_TEST(used == static_cast<std::size_t>(member->size));
    read_back.emplace(member->path, std::move(data));
  }
  BOOST_TEST((read_back == members));
}

// Lost if broken: the archive would be padded to 10 KiB records, or miss its end blocks.
BOOST_AUTO_TEST_CASE(ends_with_exactly_two_zero_blocks) {
  io::MemorySink out;
  ar::TarWriter tar(out);
  tar.add_member("a", pbk::test::sample_bytes(1000), 0);
  tar.close();
  BOOST_TEST(out.size() == 512U + 1024U + 1024U); // header, data padded to 512s, end blocks
  const auto& bytes = out.data();
  BOOST_TEST(
      std::all_of(bytes.end() - 1024, bytes.end(), [](std::byte b) { return b == std::byte{0}; }));
}

// Lost if broken: operators could not list or extract archives with standard tar.
BOOST_AUTO_TEST_CASE(tar_binary_lists_and_extracts_members) {
  pbk::test::TempDir dir;
  const auto members = sample_members();
  io::AtomicFile file(dir / "backup.tar");
  write_members(file.sink(), members);
  file.commit();
  const std::string archive_path = (dir / "backup.tar").string();
  std::string expected;
  for (const auto& [path, data] : members) {
    expected += path + "\n";
  }
  BOOST_TEST(run("tar -tf " + archive_path + " | sort") == expected);
  BOOST_TEST(pbk::test::as_string(members.at("postal/messages.0001"))
             == run("tar -xOf " + archive_path + " postal/messages.0001"));
  // Every member: regular file, mode 0600, owner 0/0, the mtime given (in UTC).
  const std::string listing = run("TZ=UTC tar --numeric-owner -tvf " + archive_path);
  std::size_t lines = 0;
  for (std::size_t pos = 0; pos < listing.size(); pos = listing.find('\n', pos) + 1, ++lines) {
    const std::string line = listing.substr(pos, listing.find('\n', pos) - pos);
    BOOST_TEST(line.rfind("-rw------- 0/0 ", 0) == 0U, line);
    BOOST_TEST(line.find(" 2023-11-14 22:13 ") != std::string::npos, line);
  }
  BOOST_TEST(lines == members.size());
}

// Lost if broken: a full disk would be reported as a vague libarchive error instead of
// "cannot write to <file>: No space left on device".
BOOST_AUTO_TEST_CASE(sink_failure_keeps_the_original_error) {
  [[maybe_unused]] const KnownLibarchiveLeak leak;
  io::NullSink disk;
  pbk::test::FaultySink full(disk, 100'000, "/backups/x.tar.partial");
  ar::TarWriter tar(full);
  try {
    tar.add_member("postal/messages.0001", pbk::test::sample_bytes(1 << 20), 0);
    tar.close();
    BOOST_FAIL("the writer did not fail");
  } catch (const IoError& e) {
    BOOST_TEST(e.what()
               == std::string("cannot write to /backups/x.tar.partial: No space left on device"));
    BOOST_TEST(e.err() == ENOSPC);
  }
}

// Lost if broken: an abandoned backup would still end with a valid trailer and look complete.
BOOST_AUTO_TEST_CASE(abandoned_writer_writes_no_trailer) {
  [[maybe_unused]] const KnownLibarchiveLeak leak;
  io::MemorySink out;
  {
    ar::TarWriter tar(out);
    tar.add_member("backup.json", pbk::test::sample_bytes(20'000), 0);
  }
  pbk::test::MemorySource source(out.data());
  ar::TarReader reader(source, "x.tar");
  BOOST_CHECK_THROW(
      {
        while (reader.next()) {
        }
      },
      IntegrityError);
}

// Lost if broken: an archive copied member by member (export) would differ from the one its
// manifest describes. A streamed member, read in pieces of every awkward size, gives the very
// bytes the in-memory one does.
BOOST_AUTO_TEST_CASE(streamed_member_writes_what_an_in_memory_one_does) {
  const auto members = sample_members();
  io::MemorySink expected;
  write_members(expected, members);
  for (const auto piece : pbk::test::k_write_sizes) {
    io::MemorySink out;
    ar::TarWriter tar(out);
    for (const auto& [path, data] : members) {
      pbk::test::MemorySource source(data, piece);
      tar.add_member(path, data.size(), 1'700'000'000, source);
    }
    tar.close();
    BOOST_TEST((out.data() == expected.data()), "reads of " << piece << " bytes");
  }
}

// Lost if broken: a member cut short on its way (a truncated source archive) would be padded
// with zeros into a copy that looks complete.
BOOST_AUTO_TEST_CASE(streamed_member_shorter_than_its_size_is_refused) {
  [[maybe_unused]] const KnownLibarchiveLeak leak;
  const auto data = pbk::test::sample_bytes(3000);
  io::MemorySink out;
  {
    ar::TarWriter tar(out);
    tar.add_member("backup.json", pbk::test::sample_bytes(30'000), 0);
    pbk::test::MemorySource source(data);
    try {
      tar.add_member("postal/messages.0001", 3001, 0, source);
      BOOST_FAIL("a short member was accepted");
    } catch (const IntegrityError& e) {
      BOOST_TEST(std::string(e.what()).find("postal/messages.0001 ended after 3000 of the 3001")
                     != std::string::npos,
                 e.what());
    }
    // Nothing may follow the broken member: no further member, no trailer.
    BOOST_CHECK_THROW(tar.add_member("manifest.json", data, 0), pbk::core::Error);
    BOOST_CHECK_THROW(tar.close(), pbk::core::Error);
  }
  BOOST_TEST(out.size() > 20'000U); // what libarchive had passed on before the failure
  pbk::test::MemorySource written(out.data());
  BOOST_CHECK_THROW(
      {
        ar::TarReader reader(written, "x.tar");
        while (reader.next()) {
        }
      },
      IntegrityError);
}

// Lost if broken: bytes beyond a member's recorded size would be dropped silently, and the
// copy called intact although its source was not what the header said.
BOOST_AUTO_TEST_CASE(streamed_member_longer_than_its_size_is_refused) {
  [[maybe_unused]] const KnownLibarchiveLeak leak;
  const auto data = pbk::test::sample_bytes(3000);
  io::MemorySink out;
  ar::TarWriter tar(out);
  pbk::test::MemorySource source(data);
  try {
    tar.add_member("postal/messages.0001", 2999, 0, source);
    BOOST_FAIL("a long member was accepted");
  } catch (const IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).find("postal/messages.0001 holds more than the 2999")
                   != std::string::npos,
               e.what());
  }
  BOOST_CHECK_THROW(tar.close(), pbk::core::Error);
}

// Lost if broken: a member larger than the copy buffer (rows members reach 1.15 GiB) would be
// cut or repeated at a buffer edge.
BOOST_AUTO_TEST_CASE(streamed_member_larger_than_the_copy_buffer_round_trips) {
  const auto data = pbk::test::sample_bytes((std::size_t{5} << 20) + 123, 7);
  io::MemorySink out;
  ar::TarWriter tar(out);
  pbk::test::MemorySource source(data, 300'007);
  tar.add_member("postal/messages.0001", data.size(), 0, source);
  pbk::test::MemorySource empty(std::span<const std::byte>{});
  tar.add_member("postal/empty.0001", 0, 0, empty);
  tar.close();
  pbk::test::MemorySource written(out.data());
  ar::TarReader reader(written, "x.tar");
  const auto first = reader.next();
  BOOST_TEST_REQUIRE(first.has_value());
  std::vector<std::byte> read_back(data.size() + 1);
  std::size_t used = 0;
  while (const std::size_t n = reader.read(std::span(read_back).subspan(used))) {
    used += n;
  }
  read_back.resize(used);
  BOOST_TEST((read_back == data));
  const auto second = reader.next();
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(second->size == 0);
  BOOST_TEST(!reader.next().has_value());
}

// Lost if broken: members added after the end blocks would be invisible to every reader.
BOOST_AUTO_TEST_CASE(add_after_close_is_an_error) {
  io::MemorySink out;
  ar::TarWriter tar(out);
  tar.close();
  BOOST_CHECK_THROW(tar.add_member("late", {}, 0), pbk::core::Error);
}

BOOST_AUTO_TEST_SUITE_END()
