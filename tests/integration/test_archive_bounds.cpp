// SPDX-License-Identifier: MIT
// Archives made to exhaust memory: sparse and huge-header members, members that decompress to
// one endless row, to a sea of TABs or to millions of rows, and JSON members of hundreds of
// MiB or of a shape that costs many times its size once parsed. Every command that reads an
// archive must refuse them with exit 4 and a one-line error (or, for list and prune, set the
// file aside), stay under 256 MiB of memory (the peak RSS of the real binary), and write
// nothing to any database.
#include "archive/manifest_json.hpp"

#include "core/compress/zstd_compress_sink.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/memory_sink.hpp"
#include "tests/support/archive_members.hpp"
#include "tests/support/crafted_tar.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/zstd_text.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace pbk::test;

namespace {

// What a refused member may cost in memory: far below what reading it unbounded would take
// (GiB). AddressSanitizer's shadow memory and quarantine add a few hundred MiB of their own,
// so its builds get a wider bound that still catches an unbounded allocation.
#if defined(__SANITIZE_ADDRESS__)
constexpr long k_max_rss_kib = 1024 * 1024;
#else
constexpr long k_max_rss_kib = 256 * 1024;
#endif
constexpr const char* k_level_2_1_4 = "20210727210551";

// zstd of `count` copies of `unit`, compressed a MiB at a time: a GiB of plain data costs
// the test no memory and the archive a few KiB.
std::string compressed_repeat(const std::string& unit, std::uint64_t count) {
  pbk::core::io::MemorySink out;
  pbk::core::compress::ZstdCompressSink zstd(out, 1);
  const std::uint64_t per_block = std::max<std::size_t>(1, (std::size_t{1} << 20) / unit.size());
  std::string block;
  for (std::uint64_t i = 0; i < per_block; ++i) {
    block += unit;
  }
  for (std::uint64_t left = count; left > 0;) {
    const auto n = std::min(left, per_block);
    zstd.write(std::string_view(block).substr(0, n * unit.size()));
    left -= n;
  }
  zstd.finish();
  return std::string(out.view());
}

// The error is one line (hints may follow on lines of their own) naming `fragment`.
bool error_line_has(const CommandResult& result, const std::string& fragment) {
  const std::string prefix = "postal-backup: error: ";
  const auto at = result.err.find(prefix);
  if (at == std::string::npos) {
    return false;
  }
  const auto line = result.err.substr(at, result.err.find('\n', at) - at);
  return line.find(fragment) != std::string::npos;
}

// Exit 4, the cause named on the error's one line, and the memory bound.
void expect_refused(const CommandResult& result, const std::string& what, const std::string& why) {
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(result.exit_code == 4, result.err);
    BOOST_TEST(error_line_has(result, why), "expected '" << why << "' in: " << result.err);
    BOOST_TEST(result.max_rss_kib < k_max_rss_kib, result.max_rss_kib << " KiB");
  }
}

// One archive of a small Postal install; the cases craft variants of its members.
struct BoundsArchive {
  BoundsArchive()
      : source(test_server(), {"20180216114344", "18", 1, 30, 0, 7}) {
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", (dir / "good.tar").string(), "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
    members = read_archive_members(dir / "good.tar");
    manifest = pbk::archive::parse_manifest(members.back().second);
    for (std::size_t i = 0; i < manifest.members.size(); ++i) {
      const auto& record = manifest.members[i];
      if (record.kind == pbk::archive::MemberKind::rows && record.rows > 0
          && record.table == "credentials") {
        rows_member = i;
      }
    }
    BOOST_TEST_REQUIRE(rows_member > 0u);
  }

  // The archive with the rows member's data replaced, and the manifest rewritten to vouch for
  // it (sizes, SHA-256, raw size, rows and the table's largest row): self-consistent.
  [[nodiscard]] std::string forged(const std::string& data,
                                   std::uint64_t raw_size,
                                   std::uint64_t rows,
                                   std::uint64_t largest_row) const {
    auto changed = members;
    auto recorded = manifest;
    auto& record = recorded.members[rows_member];
    for (auto& table : recorded.tables) {
      if (table.database == record.database && table.table == record.table) {
        table.rows = table.rows - record.rows + rows;
        table.raw_size = table.raw_size - record.raw_size + raw_size;
        table.max_row_size = std::max(table.max_row_size, largest_row);
      }
    }
    record.size = data.size();
    record.raw_size = raw_size;
    record.rows = rows;
    record.sha256 = pbk::core::hash::sha256_hex(data);
    changed[rows_member].second = data;
    changed.back().second = pbk::archive::serialize(recorded);
    return tar_archive(changed);
  }

  // The archive with the rows member's data replaced and the manifest left as it was.
  [[nodiscard]] std::string replaced(const std::string& data) const {
    auto changed = members;
    changed[rows_member].second = data;
    return tar_archive(changed);
  }

  // The archive's members up to the rows member, then `tail` as the rest of the tar.
  [[nodiscard]] std::string cut_with(const std::string& tail) const {
    std::string out;
    for (std::size_t i = 0; i < rows_member; ++i) {
      out += tar_member(members[i].first, members[i].second);
    }
    return out + tail;
  }

  PostalSample source;
  TempDir dir;
  ArchiveMembers members;
  pbk::archive::Manifest manifest;
  std::size_t rows_member = 0;
};

// The suite's archive, read only; each case writes its crafted variants to a directory of its
// own (list and prune read that directory).
struct BoundsCase {
  [[nodiscard]] std::string forged(const std::string& data,
                                   std::uint64_t raw_size,
                                   std::uint64_t rows,
                                   std::uint64_t largest_row) const {
    return shared.forged(data, raw_size, rows, largest_row);
  }

  [[nodiscard]] std::string replaced(const std::string& data) const {
    return shared.replaced(data);
  }

  [[nodiscard]] std::string cut_with(const std::string& tail) const {
    return shared.cut_with(tail);
  }

  [[nodiscard]] std::filesystem::path write(const std::string& name,
                                            const std::string& data) const {
    const auto path = dir / "crafted" / (name + ".tar");
    std::filesystem::create_directories(path.parent_path());
    replace_file(path, data);
    return path;
  }

  [[nodiscard]] const std::string& rows_path() const { return members[rows_member].first; }

  const BoundsArchive& shared = suite_shared<BoundsArchive>();
  const ArchiveMembers& members = shared.members;
  const pbk::archive::Manifest& manifest = shared.manifest;
  const std::size_t rows_member = shared.rows_member;
  TempDir dir;
};

// verify (file and pipe) and restore (file, pipe, each load method) of one crafted archive:
// exit 4 naming `why` (`file_why` for a restore from the file, which reads the archive ahead
// for its manifest), under the memory bound, the target untouched.
void expect_every_reader_refuses(const std::filesystem::path& archive,
                                 const std::string& why,
                                 const std::string& file_why) {
  const auto data = file_contents(archive);
  expect_refused(run_tool({"verify", archive.string()}), "verify", why);
  expect_refused(run_tool_with_input({"verify", "-"}, data), "verify -", why);
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  for (const std::string method : {"bulk", "load-data", "insert"}) {
    expect_refused(target.run("restore", {archive.string(), "--load-method", method}),
                   "restore --load-method " + method,
                   file_why);
    auto args = target.connection_args();
    args.insert(args.begin(), {"restore", "-", "--load-method", method});
    expect_refused(run_tool_with_input(args, data), "restore - --load-method " + method, why);
    BOOST_TEST(target.checksums() == before);
    BOOST_TEST(restore_leftovers(test_server()).empty());
  }
}

// inspect, plan, list and prune of a directory holding the archive: whatever they say, they
// stay under the memory bound and end normally.
void expect_bounded_elsewhere(const std::filesystem::path& archive) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"inspect", archive.string()},
           {"plan", archive.string(), "--target-version", "2.1.4"},
           {"list", archive.parent_path().string()},
           {"prune", archive.parent_path().string(), "--dry-run", "--keep-last", "1"}}) {
    const auto result = run_tool(args);
    BOOST_TEST_CONTEXT(args.front()) {
      BOOST_TEST(result.exit_code < 128, result.err);
      BOOST_TEST(result.max_rss_kib < k_max_rss_kib, result.max_rss_kib << " KiB");
    }
  }
}

// Writes a JSON member: `size` bytes of spaces (a MiB at a time: never held whole), or `text`.
void write_json_member(std::ostream& out,
                       const std::string& path,
                       bool oversized,
                       std::uint64_t size,
                       const std::string& text) {
  if (!oversized) {
    out << tar_member(path, text);
    return;
  }
  out << tar_member_stating(path, size, "");
  const std::string spaces(std::size_t{1} << 20, ' ');
  for (std::uint64_t written = 0; written < size; written += spaces.size()) {
    out << spaces;
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(ArchiveBounds,
                         BoundsCase,
                         *shared_by_suite<BoundsArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: a few blocks stating a sparse member of 3 GiB cost 3 GiB of memory (from
// a file or through a pipe) before the archive was found to be forged.
BOOST_AUTO_TEST_CASE(a_sparse_member_is_refused) {
  const auto archive =
      write("sparse", cut_with(tar_sparse_member(rows_path(), std::uint64_t{3} << 30) + tar_end()));
  expect_every_reader_refuses(archive, "is a sparse file", "is a sparse file");
  expect_bounded_elsewhere(archive);
}

// Lost if it failed: a header stating 1 TiB ended in std::bad_alloc, exit 1, which a wrapper
// retries, instead of exit 4.
BOOST_AUTO_TEST_CASE(a_member_header_stating_a_tebibyte_is_refused) {
  const auto archive =
      write("tebibyte", cut_with(tar_member_stating(rows_path(), std::uint64_t{1} << 40, "x")));
  // Read ahead, the member's missing tebibyte is what shows first.
  expect_every_reader_refuses(archive, "1099511627776 bytes, more than", "truncated");
  expect_bounded_elsewhere(archive);
}

// Lost if it failed: a 34 KiB member decompressing to one 1 GiB row without a newline cost
// 1 GiB of the tool's memory, or through LOAD DATA the server's (not stopped by KILL).
BOOST_AUTO_TEST_CASE(a_member_decompressing_to_an_endless_row_is_refused) {
  const std::uint64_t gib = std::uint64_t{1} << 30;
  const auto endless = compressed_repeat(std::string(4096, 'a'), gib / 4096);
  BOOST_TEST(endless.size() < (std::size_t{1} << 20));
  // Self-consistent: the manifest records the 1 GiB row, beyond the hard cap on a row.
  const auto forged_archive = write("endless-row", forged(endless, gib, 0, gib));
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  for (const std::string method : {"bulk", "load-data", "insert"}) {
    expect_refused(target.run("restore", {forged_archive.string(), "--load-method", method}),
                   "restore --load-method " + method,
                   "MiB an archive row may hold; nothing was restored");
    auto args = target.connection_args();
    args.insert(args.begin(), {"restore", "-", "--load-method", method});
    expect_refused(run_tool_with_input(args, file_contents(forged_archive)),
                   "restore - --load-method " + method,
                   "bytes of values, more than its table's largest row");
    BOOST_TEST(target.checksums() == before);
    BOOST_TEST(restore_leftovers(test_server()).empty());
  }
  const auto verified = run_tool({"verify", forged_archive.string()});
  BOOST_TEST(verified.max_rss_kib < k_max_rss_kib, verified.max_rss_kib << " KiB");
  // The manifest left as it was: the member decompresses to more than its record.
  const auto archive = write("endless-row-unrecorded", replaced(endless));
  expect_every_reader_refuses(archive, rows_path(), rows_path());
  expect_bounded_elsewhere(archive);
}

// Lost if it failed: 64 MiB of TABs cost 1 GiB of field records before the row was refused.
BOOST_AUTO_TEST_CASE(a_member_of_tabs_is_refused_at_the_first_field_too_many) {
  const std::uint64_t size = std::uint64_t{64} << 20;
  const auto tabs = compressed_repeat(std::string(4096, '\t'), size / 4096);
  const auto archive = write("tabs", forged(tabs, size, 0, 0));
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  for (const std::string method : {"bulk", "load-data", "insert"}) {
    expect_refused(target.run("restore", {archive.string(), "--load-method", method}),
                   "restore --load-method " + method,
                   "fields, more than its table has columns");
    BOOST_TEST(target.checksums() == before);
  }
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: a 518-byte member expanded to 16.7 million rows, all loaded into the
// server (hundreds of MB on its disk) before the count was compared with the manifest.
BOOST_AUTO_TEST_CASE(a_member_expanding_to_millions_of_rows_is_refused_at_the_recorded_count) {
  const auto& record = manifest.members[rows_member];
  // One of the member's own rows, repeated: every row is valid, only the count is forged.
  const auto plain = zstd_decompressed(members[rows_member].second);
  const std::string first_row(plain.substr(0, plain.find('\n') + 1));
  const std::uint64_t count = std::uint64_t{16} << 20;
  const auto bomb = compressed_repeat(first_row, count);
  BOOST_TEST(bomb.size() < (std::size_t{1} << 20));
  // The manifest vouches for the member's bytes and size, not for more rows than it had.
  const auto archive =
      write("rows-bomb", forged(bomb, first_row.size() * count, record.rows, first_row.size()));
  RestoreTarget target(test_server(), k_level_2_1_4);
  const auto before = target.checksums();
  for (const std::string method : {"bulk", "load-data", "insert"}) {
    const auto result = target.run("restore", {archive.string(), "--load-method", method});
    expect_refused(result,
                   "restore --load-method " + method,
                   "more rows than the " + std::to_string(record.rows) + " recorded");
    BOOST_TEST(target.checksums() == before);
  }
  BOOST_TEST(restore_leftovers(test_server()).empty());
}

// Lost if it failed: backup.json or manifest.json of 200 MiB was read whole and parsed into a
// document of ~24 times its size (4.9 GB for 210 MiB), and a smaller one of a pathological
// shape did the same.
BOOST_AUTO_TEST_CASE(oversized_or_pathological_json_members_are_refused) {
  std::string objects = "[";
  for (int i = 0; i < 4'000'000; ++i) {
    objects += "{},";
  }
  objects += "{}]";
  const std::uint64_t huge = std::uint64_t{200} << 20;
  for (const std::string member : {"backup.json", "manifest.json"}) {
    for (const bool oversized : {true, false}) {
      // The JSON member in its place, the others as they are; 200 MiB is written, never held.
      const auto archive = dir / "crafted" / (member + (oversized ? "-huge" : "-objects") + ".tar");
      std::filesystem::create_directories(archive.parent_path());
      {
        std::ofstream out(archive, std::ios::binary | std::ios::trunc);
        const bool first = member == "backup.json";
        for (std::size_t i = first ? 1 : 0; i + (first ? 0 : 1) < members.size(); ++i) {
          if (first && i == 1) {
            write_json_member(out, member, oversized, huge, objects);
          }
          out << tar_member(members[i].first, members[i].second);
        }
        if (!first) {
          write_json_member(out, member, oversized, huge, objects);
        }
        out << tar_end();
      }
      // A forged manifest.json fails its self-hash or the budget, whichever is checked first.
      const std::string why = oversized ? "MiB a postal-backup JSON member may hold"
                              : member == "manifest.json" ? "manifest.json"
                                                          : "more than 1048576 values";
      BOOST_TEST_CONTEXT(archive.filename()) {
        expect_refused(run_tool({"verify", archive.string()}), "verify", why);
        RestoreTarget target(test_server(), k_level_2_1_4);
        const auto before = target.checksums();
        expect_refused(target.run("restore", {archive.string()}), "restore", why);
        BOOST_TEST(target.checksums() == before);
        if (member == "backup.json") {
          expect_refused(run_tool({"inspect", archive.string()}), "inspect", why);
          expect_refused(
              run_tool({"plan", archive.string(), "--target-version", "2.1.4"}), "plan", why);
        }
        expect_bounded_elsewhere(archive);
      }
      std::filesystem::remove(archive);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
