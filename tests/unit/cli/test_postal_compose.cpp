// SPDX-License-Identifier: MIT
// postal_version_from_compose against Compose files as Postal's Docker installer writes them
// (every Postal service pinned to ghcr.io/postalserver/postal:<version>) and the ways one can
// fail to name a release.
#include "cli/postal_compose.hpp"
#include "core/error.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace pbk::cli;
using pbk::test::TempDir;

namespace {

std::string compose(const std::string& web_image, const std::string& worker_image) {
  return "version: \"3.9\"\n"
         "services:\n"
         "  web:\n"
         "    image: "
         + web_image
         + "\n"
           "    command: postal web-server\n"
           "  worker:\n"
           "    image: "
         + worker_image
         + "\n"
           "    command: postal worker\n"
           "  proxy:\n"
           "    image: caddy:2.7\n";
}

std::filesystem::path write(const TempDir& dir, const std::string& text) {
  const auto file = dir / "docker-compose.yml";
  std::ofstream(file) << text;
  return file;
}

// The usage error (exit 2) a bad file gives, and its message.
std::string refusal(const std::filesystem::path& file) {
  try {
    (void)postal_version_from_compose(file);
  } catch (const pbk::core::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == 2);
    return e.what();
  }
  BOOST_FAIL("no error for " << file);
  return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(PostalCompose)

// Lost if it failed: archives of a Docker install would record Postal version "unknown",
// and every plan and restore of them would warn and guess from the schema level.
BOOST_AUTO_TEST_CASE(the_pinned_postal_image_tag_is_the_version) {
  const TempDir dir;
  BOOST_TEST(
      postal_version_from_compose(write(
          dir, compose("ghcr.io/postalserver/postal:3.3.4", "ghcr.io/postalserver/postal:3.3.4")))
      == "3.3.4");
  BOOST_TEST(
      postal_version_from_compose(write(
          dir, compose("postalserver/postal:v2.1.4", "postalserver/postal:v2.1.4@sha256:ab12")))
      == "2.1.4");
  BOOST_TEST(postal_version_from_compose(
                 write(dir,
                       compose("registry.local:5000/mirror/postalserver/postal:2.0.0-beta.1",
                               "registry.local:5000/mirror/postalserver/postal:2.0.0-beta.1")))
             == "2.0.0-beta.1");
}

// Lost if it failed: a backup would record a version that is not the running release (the
// `latest` tag, half an upgrade, another image), which is worse than none.
BOOST_AUTO_TEST_CASE(no_release_named_is_a_usage_error) {
  const TempDir dir;
  const auto latest = refusal(write(
      dir, compose("ghcr.io/postalserver/postal:latest", "ghcr.io/postalserver/postal:latest")));
  BOOST_TEST(latest.find("'latest' names no release") != std::string::npos, latest);
  const auto untagged =
      refusal(write(dir, compose("ghcr.io/postalserver/postal", "ghcr.io/postalserver/postal")));
  BOOST_TEST(untagged.find("no tag") != std::string::npos, untagged);
  const auto mixed = refusal(write(
      dir, compose("ghcr.io/postalserver/postal:3.3.4", "ghcr.io/postalserver/postal:3.2.0")));
  BOOST_TEST(mixed.find("different Postal images (3.2.0, 3.3.4)") != std::string::npos, mixed);
  const auto other = refusal(write(dir, compose("nginx:1.25", "example/postalserver-postal:1.0")));
  BOOST_TEST(other.find("no service runs a postalserver/postal image") != std::string::npos, other);
  const auto missing = refusal(dir / "none.yml");
  BOOST_TEST(missing.find("none.yml") != std::string::npos, missing);
  const auto broken = refusal(write(dir, "services: [unclosed\n"));
  BOOST_TEST(broken.find("invalid YAML") != std::string::npos, broken);
  const auto hostile = refusal(write(dir,
                                     compose("ghcr.io/postalserver/postal:1;rm$IFS-rf",
                                             "ghcr.io/postalserver/postal:1;rm$IFS-rf")));
  BOOST_TEST(hostile.find("names no release") != std::string::npos, hostile);
}

BOOST_AUTO_TEST_SUITE_END()
