// SPDX-License-Identifier: MIT
// The corruption campaign: one bit flipped at thousands of positions of a real archive (every
// byte of its first and last member headers and of its end blocks, and a deterministic sample
// of the rest). `verify` must refuse every one with an integrity error (exit 4), and a
// `restore` of positions spread over headers, padding, data and the manifest must write
// nothing: live databases and staging as they were, and no open restore in the journal.
#include "verify/verify_job.hpp"

#include "core/error.hpp"
#include "core/reporter.hpp"
#include "tests/support/postal_sample.hpp"
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/tar_layout.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace pbk::test;

namespace {

constexpr std::size_t k_block = 512;
constexpr std::size_t k_sampled = 500;

// Where a byte sits in the tar stream: a member header (with its path), the member's data,
// its zero padding, or the end-of-archive blocks.
struct Region {
  std::string kind;
  std::string member;
};

// The layout of an archive TarWriter wrote (ustar headers, pax headers for long names).
struct Layout {
  std::vector<std::pair<std::size_t, Region>> starts; // offset where each region begins

  [[nodiscard]] const Region& at(std::size_t offset) const {
    auto it = std::upper_bound(starts.begin(),
                               starts.end(),
                               offset,
                               [](std::size_t o, const auto& start) { return o < start.first; });
    return std::prev(it)->second;
  }

  [[nodiscard]] std::vector<std::size_t> offsets_of(const std::string& kind) const {
    std::vector<std::size_t> found;
    for (const auto& [offset, region] : starts) {
      if (region.kind == kind) {
        found.push_back(offset);
      }
    }
    return found;
  }
};

Layout layout_of(const std::string& archive) {
  Layout layout;
  std::size_t end = 0;
  for (const auto& entry : tar_entries(archive)) {
    layout.starts.push_back({entry.header, {"header", entry.name}});
    if (entry.size > 0) {
      layout.starts.push_back({entry.data, {"data", entry.name}});
    }
    if (entry.size % k_block != 0) {
      layout.starts.push_back({entry.data + entry.size, {"padding", entry.name}});
    }
    end = entry.end;
  }
  layout.starts.push_back({end, {"end blocks", ""}});
  return layout;
}

// Every byte of the first and last headers and of the end blocks, and a deterministic sample
// of the rest of the archive.
std::vector<std::size_t> positions(const std::string& archive, const Layout& layout) {
  std::set<std::size_t> chosen;
  const auto headers = layout.offsets_of("header");
  for (const std::size_t header : {headers.front(), headers.back()}) {
    for (std::size_t i = 0; i < k_block; ++i) {
      chosen.insert(header + i);
    }
  }
  for (std::size_t i = layout.offsets_of("end blocks").front(); i < archive.size(); ++i) {
    chosen.insert(i);
  }
  std::mt19937_64 random(20261207);
  std::uniform_int_distribution<std::size_t> any(0, archive.size() - 1);
  for (std::size_t i = 0; i < k_sampled; ++i) {
    chosen.insert(any(random));
  }
  return {chosen.begin(), chosen.end()};
}

// One bit, a different one from byte to byte.
std::string flipped(std::string archive, std::size_t position) {
  archive[position] = static_cast<char>(archive[position] ^ (1 << (position % 8)));
  return archive;
}

// The state of every restore the server's journal records, by id.
std::map<std::string, std::string> journal_states() {
  auto admin = pbk::core::db::Connection::connect(test_server().root_options());
  if (admin.query_value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                        "'postal_backup' AND TABLE_NAME = 'restores'")
      == "0") {
    return {};
  }
  std::map<std::string, std::string> states;
  for (const auto& row : admin.query("SELECT id, state FROM postal_backup.restores").rows()) {
    states[row.at(0).value_or("")] = row.at(1).value_or("");
  }
  return states;
}

// The journal after a refused restore: the restores it held, unchanged, and at most a record
// of this one as failed: nothing open that would block the next restore or make `status`
// report a pending one.
void expect_journal_kept(const std::map<std::string, std::string>& before) {
  for (const auto& [id, state] : journal_states()) {
    const auto was = before.find(id);
    if (was != before.end()) {
      BOOST_TEST(state == was->second, "restore " << id << " became " << state);
    } else {
      BOOST_TEST(state == "failed", "a new restore " << id << " is " << state);
    }
  }
}

struct CampaignArchive {
  CampaignArchive()
      : sample(test_server(), {"20210727210551", "20", 1, 4, 0, 23}) {
    auto args = sample.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(), {"--output", good.string(), "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
    original = file_contents(good);
    layout = layout_of(original);
  }

  PostalSample sample;
  TempDir dir;
  std::filesystem::path good = dir / "good.tar";
  std::string original;
  Layout layout;
};

// The suite's archive, read only; each case writes its damaged copies to a directory of its own.
struct CampaignCase {
  const CampaignArchive& shared = suite_shared<CampaignArchive>();
  const std::filesystem::path& good = shared.good;
  const std::string& original = shared.original;
  const Layout& layout = shared.layout;
  TempDir dir;
  std::filesystem::path damaged = dir / "damaged.tar";
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(CorruptionCampaign,
                         CampaignCase,
                         *shared_by_suite<CampaignArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: some damaged byte of a backup would verify as intact, so a rotten
// archive would be kept by prune as the newest good one and fail on the day it is needed.
BOOST_AUTO_TEST_CASE(verify_refuses_every_flipped_byte) {
  pbk::core::SilentReporter quiet;
  pbk::verify::VerifyOptions options;
  options.archive = good.string();
  options.workers = 1;
  BOOST_TEST_REQUIRE(pbk::verify::verify_archive(options, quiet).members > 10u);
  options.archive = damaged.string();
  const auto chosen = positions(original, layout);
  BOOST_TEST_MESSAGE("flipping " << chosen.size() << " of " << original.size() << " bytes");
  for (const std::size_t position : chosen) {
    replace_file(damaged, flipped(original, position));
    const auto& region = layout.at(position);
    const auto where =
        "byte " + std::to_string(position) + " (" + region.kind + " of " + region.member + ")";
    try {
      (void)pbk::verify::verify_archive(options, quiet);
      BOOST_ERROR(where << " flipped, but verify said ok");
    } catch (const pbk::core::Error& e) {
      BOOST_TEST((e.code() == pbk::core::ExitCode::integrity), where << ": " << e.what());
    }
  }
}

// Lost if it failed: a restore of a damaged archive would leave part of it in a live
// database, a staging database behind, or an open journal entry that later commands act on.
BOOST_AUTO_TEST_CASE(restore_of_a_damaged_archive_writes_nothing) {
  RestoreTarget target(test_server(), "20210727210551");
  const auto before = target.checksums();
  const auto journal_before = journal_states();
  std::vector<std::size_t> chosen;
  for (const auto& kind : {"header", "data", "padding"}) {
    const auto starts = layout.offsets_of(kind);
    for (std::size_t i = 0; i < 9; ++i) { // spread over the archive's members
      const std::size_t start = starts.at(i * (starts.size() - 1) / 8);
      chosen.push_back(start + (kind == std::string("header") ? i * 57 : 1 + i * 7));
    }
  }
  const auto manifest_data = layout.offsets_of("data").back();
  for (const std::size_t at : {std::size_t{10}, std::size_t{200}, original.size() - 1100}) {
    chosen.push_back(std::min(manifest_data + at, original.size() - 1));
  }
  for (const std::size_t position : chosen) {
    replace_file(damaged, flipped(original, position));
    const auto& region = layout.at(position);
    const auto restored = target.run("restore", {damaged.string()});
    BOOST_TEST(restored.exit_code == 4,
               "byte " << position << " (" << region.kind << " of " << region.member << "): exit "
                       << restored.exit_code << ": " << restored.err);
    BOOST_TEST(target.checksums() == before);
    BOOST_TEST(restore_leftovers(test_server()).empty());
    expect_journal_kept(journal_before);
  }
}

BOOST_AUTO_TEST_SUITE_END()
