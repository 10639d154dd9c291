// SPDX-License-Identifier: MIT
#include "archive/manifest_json.hpp"

#include "core/error.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace pbk::archive;

namespace {

BackupInfo sample_info() {
  BackupInfo info;
  info.tool_version = "0.1.0";
  info.created_at = "2026-11-25T03:00:00Z";
  info.tag = "pre-upgrade";
  info.postal.version = "2.1.4";
  info.postal.version_source = VersionSource::flag;
  info.postal.release_range = "2.0.0-beta.1–2.2.2";
  info.postal.main_schema_level = "20210727210551";
  info.postal.main_migrations = {"20161003195209", "20210727210551"};
  info.servers.push_back(
      {"root@/tmp/sock", "10.11.19-MariaDB", true, "bin.000001", 1234, "0-1-5", true});
  DatabaseInfo main{"postal",
                    DatabaseRole::main,
                    std::nullopt,
                    0,
                    "utf8mb4",
                    "utf8mb4_general_ci",
                    std::string(64, 'a'),
                    "20210727210551",
                    {"20210727210551"},
                    {"credentials"}};
  DatabaseInfo message{"postal-server-1",
                       DatabaseRole::message,
                       1,
                       0,
                       "utf8mb4",
                       "utf8mb4_unicode_ci",
                       std::string(64, 'b'),
                       "20",
                       {"1", "20"},
                       {"messages", "raw-2026-11-24"}};
  info.databases = {main, message};
  return info;
}

Manifest sample_manifest() {
  Manifest m;
  m.finished_at = "2026-11-25T03:01:00Z";
  m.members.push_back(
      {"backup.json", MemberKind::backup_info, "", "", 10, 10, 0, std::string(64, 'c'), {}});
  m.members.push_back({"postal/credentials/rows-000001.tsv.zst",
                       MemberKind::rows,
                       "postal",
                       "credentials",
                       100,
                       300,
                       7,
                       std::string(64, 'd'),
                       {}});
  m.tables.push_back({"postal",
                      "credentials",
                      TableOutcome::complete,
                      true,
                      7,
                      300,
                      80,
                      1,
                      std::nullopt,
                      std::nullopt});
  return m;
}

MemberRecord config_member() {
  MemberRecord r{
      "config/signing.key.zst", MemberKind::config, "", "", 40, 1679, 0, std::string(64, 'e'), {}};
  r.config = ConfigFile{"signing.key", 0600, 1700000000, std::string(64, 'f')};
  return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ManifestJson)

// Lost if it failed: a restore could not read back what a backup recorded (version, levels,
// migrations), so it could not decide whether migrations are needed.
BOOST_AUTO_TEST_CASE(backup_info_round_trips) {
  const BackupInfo parsed = parse_backup_info(serialize(sample_info()));
  BOOST_TEST(parsed.postal.version.value() == "2.1.4");
  BOOST_TEST(std::string(to_string(parsed.postal.version_source)) == "flag");
  BOOST_TEST(parsed.postal.release_range.value() == "2.0.0-beta.1–2.2.2");
  BOOST_TEST(parsed.postal.main_migrations.size() == 2u);
  BOOST_TEST(parsed.servers.at(0).binlog_position.value() == 1234u);
  BOOST_REQUIRE(parsed.databases.size() == 2u);
  BOOST_TEST(parsed.databases[1].server_id.value() == 1);
  BOOST_TEST(parsed.databases[1].tables.at(1) == "raw-2026-11-24");
  BOOST_TEST(parsed.tag.value() == "pre-upgrade");
}

// Lost if it failed: member checksums and row counts would not survive the trip through
// manifest.json, and verify could not prove anything.
BOOST_AUTO_TEST_CASE(manifest_round_trips_and_hashes_itself) {
  Manifest manifest = sample_manifest();
  const std::string text = serialize(manifest);
  BOOST_TEST(manifest.manifest_sha256.size() == 64u);
  BOOST_TEST(manifest_self_hash_matches(text));
  const Manifest parsed = parse_manifest(text);
  BOOST_TEST(parsed.members.at(1).rows == 7u);
  BOOST_TEST(parsed.tables.at(0).max_row_size == 80u);
  BOOST_TEST(parsed.manifest_sha256 == manifest.manifest_sha256);
}

// Lost if it failed: the content checksum a drill compares each loaded table with would not
// survive manifest.json, and a manifest without one (an older archive) would not parse.
BOOST_AUTO_TEST_CASE(table_content_checksums_round_trip_and_may_be_absent) {
  Manifest manifest = sample_manifest();
  manifest.tables.at(0).content_sha256 = std::string(64, '7');
  manifest.tables.push_back(
      {"postal", "users", TableOutcome::complete, true, 0, 0, 0, 0, std::nullopt, std::nullopt});
  const std::string text = serialize(manifest);
  BOOST_TEST(text.find("\"content_sha256\": \"" + std::string(64, '7') + "\"")
             != std::string::npos);
  const Manifest parsed = parse_manifest(text);
  BOOST_TEST(parsed.tables.at(0).content_sha256.value() == std::string(64, '7'));
  BOOST_TEST(!parsed.tables.at(1).content_sha256);
}

// Lost if it failed: an incremental backup's record of how a past raw table stood when it was
// read would be lost, and the next backup would reference a copy it cannot vouch for (or
// never reference anything).
BOOST_AUTO_TEST_CASE(raw_table_proofs_round_trip) {
  Manifest manifest = sample_manifest();
  RawTableProof proof{true, "4242", 17, "1048576", std::string("2657175170"), 0, {}};
  manifest.tables.push_back({"postal-server-1",
                             "raw-2025-01-01",
                             TableOutcome::complete,
                             false,
                             34,
                             9,
                             8,
                             1,
                             proof,
                             std::nullopt});
  RawTableProof unsettled{false, "", 0, "", std::nullopt, 0, {}};
  manifest.tables.push_back({"postal-server-1",
                             "raw-2025-01-02",
                             TableOutcome::complete,
                             true,
                             0,
                             0,
                             0,
                             0,
                             unsettled,
                             std::nullopt});
  const Manifest parsed = parse_manifest(serialize(manifest));
  BOOST_TEST(!parsed.tables.at(0).proof);
  BOOST_TEST((parsed.tables.at(1).proof == proof));
  BOOST_TEST((parsed.tables.at(2).proof == unsettled));
}

namespace {

// A manifest whose one raw table (5 rows members) has this proof, as manifest.json text.
std::string manifest_with_proof(const RawTableProof& proof) {
  Manifest manifest = sample_manifest();
  manifest.tables.push_back({"postal-server-1",
                             "raw-2025-01-01",
                             TableOutcome::complete,
                             false,
                             34,
                             9,
                             8,
                             5,
                             proof,
                             std::nullopt});
  return serialize(manifest);
}

RawTableProof proof_with_blocks(std::vector<RawIdBlock> blocks, std::int64_t id_block = 4096) {
  RawTableProof proof{false, "9000", 3, "", std::nullopt, id_block, std::move(blocks)};
  return proof;
}

} // namespace

// Lost if it failed: a later backup could not tell which id blocks of a raw table it may
// reference and which it must read again, so every late rewrite would cost the whole table.
BOOST_AUTO_TEST_CASE(raw_table_id_blocks_round_trip) {
  const auto proof =
      proof_with_blocks({{1, 4095, 2, false}, {4096, 4100, 1, true}, {-4096, -4096, 2, false}});
  BOOST_CHECK_THROW((void)parse_manifest(manifest_with_proof(proof)), pbk::core::IntegrityError);
  const auto sorted =
      proof_with_blocks({{-4096, -4096, 2, false}, {1, 4095, 2, false}, {8192, 8200, 1, true}});
  const Manifest parsed = parse_manifest(manifest_with_proof(sorted));
  BOOST_TEST((parsed.tables.back().proof == sorted));
  // Older manifests have no id_block: no blocks, and the whole-table rule.
  const auto text = manifest_with_proof(proof_with_blocks({}, 0));
  BOOST_TEST(text.find("id_block") == std::string::npos);
  const auto older = parse_manifest(text).tables.back().proof;
  BOOST_TEST((older->id_block == 0 && older->blocks.empty()));
}

// Lost if it failed: manifests are hostile input; a crafted proof could make a backup
// reference members for ids they do not hold (overlapping or unsorted blocks), skip members,
// or ask for absurd amounts of work.
BOOST_AUTO_TEST_CASE(crafted_id_blocks_are_integrity_errors) {
  const std::vector<RawTableProof> crafted{
      proof_with_blocks({{1, 4095, 3, false}, {100, 4200, 2, false}}),     // two blocks in one
      proof_with_blocks({{4096, 4097, 3, false}, {1, 2, 2, false}}),       // unsorted
      proof_with_blocks({{4096, 4097, 3, false}, {4098, 4099, 2, false}}), // the same block
      proof_with_blocks({{10, 1, 5, false}}),                              // first above last
      proof_with_blocks({{1, 2, 4, false}}),                               // 4 members of 5
      proof_with_blocks({{1, 2, 0, false}, {4096, 4097, 5, false}}),       // a block with none
      proof_with_blocks({{1, 2, 5, false}}, -1),
      proof_with_blocks({{1, 2, 5, false}}, (std::int64_t{1} << 31) + 1)};
  for (const auto& proof : crafted) {
    BOOST_CHECK_THROW((void)parse_manifest(manifest_with_proof(proof)), pbk::core::IntegrityError);
  }
  // Numbers a parser could wrap: ids above INT64_MAX, negative or fractional member counts,
  // more blocks than members.
  const auto good = manifest_with_proof(proof_with_blocks({{1, 2, 5, false}}));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"last_id\": 2", "\"last_id\": 18446744073709551615"},
           {"\"members\": 5", "\"members\": -1"},
           {"\"members\": 5", "\"members\": 18446744073709551616"},
           {"\"first_id\": 1", "\"first_id\": \"1\""},
           {"\"id_block\": 4096", "\"id_block\": 0"}}) {
    auto text = good;
    const auto at = text.find(from);
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    BOOST_CHECK_THROW((void)parse_manifest(text), pbk::core::IntegrityError);
  }
  BOOST_CHECK_NO_THROW((void)parse_manifest(good));
}

// Lost if it failed: an edited row count or checksum in manifest.json would pass verify.
BOOST_AUTO_TEST_CASE(an_edited_manifest_fails_its_self_hash) {
  Manifest manifest = sample_manifest();
  std::string text = serialize(manifest);
  const auto at = text.find("\"rows\": 7");
  BOOST_REQUIRE(at != std::string::npos);
  text[at + 8] = '8';
  BOOST_TEST(!manifest_self_hash_matches(text));
  BOOST_TEST(!manifest_self_hash_matches("{}"));
}

// Lost if it failed: a damaged backup.json would crash or be half-read instead of being
// reported as an integrity failure (exit 4).
BOOST_AUTO_TEST_CASE(malformed_members_are_integrity_errors) {
  BOOST_CHECK_THROW((void)parse_backup_info("{not json"), pbk::core::IntegrityError);
  BOOST_CHECK_THROW((void)parse_backup_info("{\"format_version\": 1}"), pbk::core::IntegrityError);
  BOOST_CHECK_THROW((void)parse_manifest("[]"), pbk::core::IntegrityError);
  try {
    (void)parse_backup_info("{\"format_version\": 99}");
    BOOST_FAIL("format 99 accepted");
  } catch (const pbk::core::IntegrityError& e) {
    BOOST_TEST(std::string(e.what()).find("format version 99") != std::string::npos);
  }
}

// Lost if it failed: a restore would write signing.key back with the wrong mode or time, or
// could not check its content, because the manifest did not carry what the backup read.
BOOST_AUTO_TEST_CASE(config_members_round_trip_with_mode_mtime_and_content_hash) {
  Manifest manifest = sample_manifest();
  manifest.members.insert(manifest.members.begin() + 1, config_member());
  const std::string text = serialize(manifest);
  BOOST_TEST(text.find("\"mode\": \"0600\"") != std::string::npos, text);
  const Manifest parsed = parse_manifest(text);
  const auto& member = parsed.members.at(1);
  BOOST_TEST(std::string(to_string(member.kind)) == "config");
  BOOST_REQUIRE(member.config.has_value());
  BOOST_TEST(member.config->name == "signing.key");
  BOOST_TEST(member.config->mode == 0600u);
  BOOST_TEST(member.config->mtime == 1700000000);
  BOOST_TEST(member.config->sha256 == std::string(64, 'f'));
  BOOST_TEST(member.raw_size == 1679u);
  BOOST_TEST(!parsed.members.at(2).config.has_value());
}

// Lost if it failed: a manifest claiming a setuid or nonsense mode would be written to disk
// as such instead of being refused as damaged.
BOOST_AUTO_TEST_CASE(config_modes_beyond_permission_bits_are_malformed) {
  Manifest manifest = sample_manifest();
  manifest.members.push_back(config_member());
  const std::string text = serialize(manifest);
  for (const char* bad : {"\"4755\"", "\"rw\"", "\"\"", "\"07777\""}) {
    std::string edited = text;
    edited.replace(edited.find("\"0600\""), 6, bad);
    BOOST_CHECK_THROW((void)parse_manifest(edited), pbk::core::IntegrityError);
  }
}

// Lost if it failed: backup.json would not tell a restore (or `inspect`) that the archive
// holds Postal's config directory, and archives made before it existed would not read.
BOOST_AUTO_TEST_CASE(backup_info_says_whether_config_is_included) {
  BackupInfo info = sample_info();
  BOOST_TEST(!parse_backup_info(serialize(info)).config.has_value());
  info.config = ConfigInfo{"/opt/postal/config", 3};
  const auto parsed = parse_backup_info(serialize(info));
  BOOST_REQUIRE(parsed.config.has_value());
  BOOST_TEST(parsed.config->files == 3u);
  BOOST_TEST(parsed.config->directory == "/opt/postal/config");
  auto older = to_json(sample_info());
  older.erase("config");
  BOOST_TEST(!parse_backup_info(older.dump()).config.has_value());
}

// Lost if it failed: a forged backup.json or manifest.json of a few MiB would cost tens of
// times its size once parsed (`[[[[…`, `[{},{},…]`), and one of hundreds of MiB would be read
// whole: verify, inspect, list and prune would be killed for memory instead of exiting 4.
BOOST_AUTO_TEST_CASE(documents_beyond_the_json_budget_are_integrity_errors) {
  const auto message_of = [](const std::string& text) -> std::string {
    try {
      (void)parse_manifest(text);
    } catch (const pbk::core::IntegrityError& e) {
      return e.what();
    }
    return "accepted";
  };
  const std::string deep =
      std::string(k_max_json_depth + 1, '[') + std::string(k_max_json_depth + 1, ']');
  BOOST_TEST(message_of(deep).find("levels deep") != std::string::npos, message_of(deep));
  std::string many = "[";
  for (std::size_t i = 0; i < k_max_json_values; ++i) {
    many += "{},";
  }
  many += "{}]";
  BOOST_TEST(message_of(many).find("more than 1048576 values") != std::string::npos);
  const std::string huge(k_max_json_bytes + 1, ' ');
  BOOST_TEST(message_of(huge).find("MiB a postal-backup JSON member may hold")
             != std::string::npos);
}

// Lost if it failed: the budget would refuse the manifest of a large genuine install (tens of
// thousands of members), and its backups could never be verified or restored.
BOOST_AUTO_TEST_CASE(a_manifest_of_forty_thousand_members_is_within_the_budget) {
  Manifest m = sample_manifest();
  const auto member = m.members.back();
  m.members.resize(1);
  for (int i = 0; i < 40000; ++i) {
    auto copy = member;
    copy.path = "postal-server-" + std::to_string(i % 100) + "/raw-2026-11-" + std::to_string(i)
                + "/rows-000001.tsv.zst";
    m.members.push_back(copy);
  }
  const auto text = serialize(m);
  BOOST_TEST(text.size() <= k_max_json_bytes);
  BOOST_TEST(parse_manifest(text).members.size() == 40001u);
}

// Lost if it failed: a message-DB level of "abc" or "99999999999" made `inspect` and `restore`
// fail with exit 1 (a wrapper retries it) instead of 4 (the archive is bad).
BOOST_AUTO_TEST_CASE(message_levels_that_are_not_numbers_are_integrity_errors) {
  for (const std::string level : {"abc", "20x", " 20", "+20", "-1", "99999999999", ""}) {
    auto info = sample_info();
    info.databases.back().schema_level = level;
    BOOST_CHECK_THROW((void)parse_backup_info(serialize(info)), pbk::core::IntegrityError);
    info = sample_info();
    info.databases.back().migrations.back() = level;
    BOOST_CHECK_THROW((void)parse_backup_info(serialize(info)), pbk::core::IntegrityError);
  }
}

BOOST_AUTO_TEST_SUITE_END()
