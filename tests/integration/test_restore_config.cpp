// SPDX-License-Identifier: MIT
// Postal's config directory through create --include-config → verify → inspect → restore
// --config-dest on the real server: modes and contents come back, a different existing file
// is refused before anything is written (databases included), an identical one is left
// alone, and a damaged config member is an integrity failure like any other.
#include "tests/support/restore_target.hpp"
#include "tests/support/suite_shared.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>

using namespace pbk::test;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* k_postal_yml = "version: 2\nmain_db:\n  host: 127.0.0.1\n";
constexpr const char* k_signing_key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END\n";
constexpr std::int64_t k_mtime = 1700000000;

void write_file(const fs::path& path, const std::string& content, mode_t mode, std::int64_t mtime) {
  replace_file(path, content);
  BOOST_TEST_REQUIRE(::chmod(path.c_str(), mode) == 0);
  const struct timespec times[2] = {{static_cast<time_t>(mtime), 0},
                                    {static_cast<time_t>(mtime), 0}};
  BOOST_TEST_REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

struct FileState {
  mode_t mode;
  std::int64_t mtime;
};

FileState state_of(const fs::path& path) {
  struct stat st {};

  BOOST_TEST_REQUIRE(::stat(path.c_str(), &st) == 0, path);
  return {st.st_mode & 07777, static_cast<std::int64_t>(st.st_mtim.tv_sec)};
}

// One archive of a small install with a two-file config directory.
struct ConfigArchive {
  ConfigArchive()
      : source(test_server(), {"20210727210551", "20", 1, 10, 0, 5}) {
    fs::create_directory(config);
    write_file(config / "postal.yml", k_postal_yml, 0644, k_mtime);
    write_file(config / "signing.key", k_signing_key, 0600, k_mtime + 1);
    auto args = source.connection_args();
    args.insert(args.begin(), "create");
    args.insert(args.end(),
                {"--output", archive.string(), "--include-config", config.string(), "--quiet"});
    const auto created = run_tool(args);
    BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  }

  PostalSample source;
  TempDir dir;
  fs::path config = dir / "postal-config";
  fs::path archive = dir / "backup.tar";
};

// The suite's archive and config directory, read only; each case restores into a directory of
// its own.
struct ConfigArchiveCase {
  const ConfigArchive& shared = suite_shared<ConfigArchive>();
  const PostalSample& source = shared.source;
  const fs::path& config = shared.config;
  const fs::path& archive = shared.archive;
  TempDir dir;
  fs::path dest = dir / "restored" / "config";
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(RestoreConfig,
                         ConfigArchiveCase,
                         *shared_by_suite<ConfigArchive>()
                             * boost::unit_test::precondition(require_server))

// Lost if it failed: after a disaster the operator would get the databases back but not
// signing.key, so every DKIM signature and Postal's own tokens would change; or the key
// would come back world-readable.
BOOST_AUTO_TEST_CASE(round_trip_keeps_contents_modes_and_mtimes) {
  const auto verified = run_tool({"verify", archive.string(), "--json"});
  BOOST_TEST_REQUIRE(verified.exit_code == 0, verified.err);
  const auto inspected = Json::parse(run_tool({"inspect", archive.string(), "--json"}).out);
  BOOST_TEST(inspected.at("config").at("files") == 2);
  BOOST_TEST(inspected.at("config_files").size() == 2u);
  BOOST_TEST(inspected.at("config_files").at(1).at("file") == "signing.key");
  BOOST_TEST(inspected.at("config_files").at(1).at("mode") == "0600");
  const auto listed = run_command({"tar", "-tf", archive.string()});
  BOOST_TEST(listed.out.find("config/postal.yml.zst\n") != std::string::npos, listed.out);

  RestoreTarget target(test_server(), std::nullopt);
  const auto restored =
      target.run("restore", {archive.string(), "--config-dest", dest.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
  const auto outcome = Json::parse(restored.out);
  BOOST_TEST(outcome.at("config_files").size() == 2u);
  BOOST_TEST(outcome.at("config_files").at(0).at("written") == true);
  BOOST_TEST(file_contents(dest / "postal.yml") == k_postal_yml);
  BOOST_TEST(file_contents(dest / "signing.key") == k_signing_key);
  BOOST_TEST(state_of(dest / "postal.yml").mode == 0644u);
  BOOST_TEST(state_of(dest / "signing.key").mode == 0600u);
  BOOST_TEST(state_of(dest / "postal.yml").mtime == k_mtime);
  BOOST_TEST(state_of(dest / "signing.key").mtime == k_mtime + 1);
  BOOST_TEST(!target.checksums().empty());
  BOOST_TEST(!fs::exists(dest / "postal.yml.partial"));
}

// Lost if it failed: a restore would silently replace an operator's edited postal.yml, or
// refuse only after loading and swapping the databases, leaving data and config apart.
BOOST_AUTO_TEST_CASE(a_different_existing_file_is_refused_before_anything_is_written) {
  fs::create_directories(dest);
  write_file(dest / "postal.yml", "edited by hand\n", 0640, 1000);
  RestoreTarget target(test_server(), std::nullopt);
  const auto refused = target.run("restore", {archive.string(), "--config-dest", dest.string()});
  BOOST_TEST(refused.exit_code == 5, refused.err + refused.out);
  BOOST_TEST(refused.err.find("postal.yml") != std::string::npos, refused.err);
  // From a pipe the manifest is not known ahead: the member itself is refused before any
  // table is loaded, and the staging databases go.
  std::vector<std::string> argv{
      std::getenv("PBK_BIN"), "restore", "-", "--config-dest", dest.string()};
  for (const auto& arg : target.connection_args()) {
    argv.push_back(arg);
  }
  const auto piped = run_command(argv, file_contents(archive));
  BOOST_TEST(piped.exit_code == 5, piped.err + piped.out);
  BOOST_TEST(file_contents(dest / "postal.yml") == "edited by hand\n");
  BOOST_TEST(state_of(dest / "postal.yml").mode == 0640u);
  BOOST_TEST(!fs::exists(dest / "signing.key"));
  BOOST_TEST(target.checksums().empty());
  BOOST_TEST(restore_leftovers(test_server()).empty());

  const auto forced =
      target.run("restore", {archive.string(), "--config-dest", dest.string(), "--force"});
  BOOST_TEST(forced.exit_code == 0, forced.err + forced.out);
  BOOST_TEST(file_contents(dest / "postal.yml") == k_postal_yml);
  BOOST_TEST(state_of(dest / "postal.yml").mode == 0644u);
}

// Lost if it failed: restoring onto a host that already has the same config (or running a
// restore again after a failed swap) would be refused or would touch files it need not.
BOOST_AUTO_TEST_CASE(an_identical_existing_file_is_left_alone) {
  fs::create_directories(dest);
  write_file(dest / "postal.yml", k_postal_yml, 0644, 1000);
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored =
      target.run("restore", {archive.string(), "--config-dest", dest.string(), "--json"});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err + restored.out);
  const auto files = Json::parse(restored.out).at("config_files");
  BOOST_TEST(files.at(0).at("file") == "postal.yml");
  BOOST_TEST(files.at(0).at("written") == false);
  BOOST_TEST(files.at(1).at("written") == true);
  BOOST_TEST(state_of(dest / "postal.yml").mtime == 1000);
  BOOST_TEST(file_contents(dest / "signing.key") == k_signing_key);
}

// Lost if it failed: a rotted byte in signing.key's member would verify as intact, or be
// written over the operator's config by a restore.
BOOST_AUTO_TEST_CASE(a_flipped_byte_in_a_config_member_is_an_integrity_error) {
  std::string data = file_contents(archive);
  const auto header = data.find("config/signing.key.zst");
  BOOST_TEST_REQUIRE(header != std::string::npos);
  data[header + 512 + 12] ^= 0x10; // inside the member's zstd frame
  const auto damaged = dir / "damaged.tar";
  replace_file(damaged, data);
  const auto verified = run_tool({"verify", damaged.string()});
  BOOST_TEST(verified.exit_code == 4, verified.err);
  BOOST_TEST(verified.err.find("config/signing.key.zst") != std::string::npos, verified.err);

  RestoreTarget target(test_server(), std::nullopt);
  const auto restored = target.run("restore", {damaged.string(), "--config-dest", dest.string()});
  BOOST_TEST(restored.exit_code == 4, restored.err);
  BOOST_TEST(!fs::exists(dest));
  BOOST_TEST(target.checksums().empty());
}

// Lost if it failed: an operator expecting the config back from an archive made without
// it would learn so only when Postal failed to start.
BOOST_AUTO_TEST_CASE(config_dest_without_config_in_the_archive_is_an_error) {
  const auto plain = dir / "plain.tar";
  auto args = source.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(), {"--output", plain.string(), "--quiet"});
  BOOST_TEST_REQUIRE(run_tool(args).exit_code == 0);
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored = target.run("restore", {plain.string(), "--config-dest", dest.string()});
  BOOST_TEST(restored.exit_code == 2, restored.err);
  BOOST_TEST(restored.err.find("no config directory") != std::string::npos, restored.err);
  BOOST_TEST(target.checksums().empty());
}

// Lost if it failed: with --encrypt the config directory (signing.key!) would either be
// stored readable or not come back at all.
BOOST_AUTO_TEST_CASE(sealed_config_files_come_back_with_the_key) {
  const auto key = dir / "archive.key";
  replace_file(key, "0123456789abcdef0123456789abcdef");
  const auto sealed = dir / "sealed.tar";
  auto args = source.connection_args();
  args.insert(args.begin(), "create");
  args.insert(args.end(),
              {"--output",
               sealed.string(),
               "--include-config",
               config.string(),
               "--encrypt",
               "--key-file",
               key.string(),
               "--quiet"});
  BOOST_TEST_REQUIRE(run_tool(args).exit_code == 0);
  BOOST_TEST(file_contents(sealed).find("BEGIN RSA PRIVATE KEY") == std::string::npos);
  RestoreTarget target(test_server(), std::nullopt);
  const auto restored = target.run(
      "restore",
      {sealed.string(), "--key-file", key.string(), "--config-dest", dest.string(), "--quiet"});
  BOOST_TEST_REQUIRE(restored.exit_code == 0, restored.err);
  BOOST_TEST(file_contents(dest / "signing.key") == k_signing_key);
  BOOST_TEST(state_of(dest / "signing.key").mode == 0600U);
}

BOOST_AUTO_TEST_SUITE_END()
