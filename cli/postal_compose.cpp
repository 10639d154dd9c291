// SPDX-License-Identifier: MIT
#include "cli/postal_compose.hpp"

#include "core/error.hpp"
#include "core/io/regular_file.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <regex>
#include <set>

namespace pbk::cli {
namespace {

using core::Error;
using core::ExitCode;

// A Compose file is a few kilobytes; the limit keeps a wrong path from being read whole.
constexpr std::uint64_t k_max_compose_bytes = std::uint64_t{1} << 20;

const std::string k_hint_fix = "give the install's docker-compose.yml (usually "
                               "/opt/postal/install/docker-compose.yml), or --postal-version V";

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw Error(ExitCode::usage, "--postal-compose " + file.string() + ": " + what, {k_hint_fix});
}

YAML::Node load(const std::filesystem::path& file) {
  std::optional<core::io::RegularFile> read;
  try {
    read = core::io::read_regular_file(file, core::io::Symlinks::follow, k_max_compose_bytes);
  } catch (const core::IoError& e) {
    throw Error(ExitCode::usage, std::string("--postal-compose: ") + e.what(), {k_hint_fix});
  }
  if (!read) {
    fail(file, "not a regular file");
  }
  try {
    return YAML::Load(read->content);
  } catch (const YAML::Exception& e) {
    fail(file, "invalid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

// `[registry/]postalserver/postal[:tag][@digest]`: the tag, "" when there is none; nullopt
// for an image of anything else (the database, the web proxy).
std::optional<std::string> postal_image_tag(std::string image) {
  image = image.substr(0, image.find('@'));
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  std::string tag;
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    tag = image.substr(colon + 1);
    image.resize(colon);
  }
  const std::string name = "postalserver/postal";
  const bool postal =
      image == name
      || (image.size() > name.size()
          && image.compare(image.size() - name.size() - 1, std::string::npos, "/" + name) == 0);
  return postal ? std::optional(tag) : std::nullopt;
}

} // namespace

std::string postal_version_from_compose(const std::filesystem::path& file) {
  const auto root = load(file);
  const auto services = root.IsMap() ? root["services"] : YAML::Node();
  std::set<std::string> tags;
  if (services && services.IsMap()) {
    for (const auto& service : services) {
      const auto image = service.second.IsMap() ? service.second["image"] : YAML::Node();
      if (image && image.IsScalar()) {
        if (auto tag = postal_image_tag(image.Scalar())) {
          tags.insert(*tag);
        }
      }
    }
  }
  if (tags.empty()) {
    fail(file, "no service runs a postalserver/postal image");
  }
  if (tags.size() > 1) {
    std::string list;
    for (const auto& tag : tags) {
      list += (list.empty() ? "" : ", ") + (tag.empty() ? std::string("(no tag)") : tag);
    }
    fail(file, "its services run different Postal images (" + list + ")");
  }
  // A release is digits first ("3.3.4", "2.0.0-beta.1"); `latest` or no tag names none.
  static const std::regex release("v?([0-9][A-Za-z0-9._+-]{0,63})");
  std::smatch match;
  const std::string tag = *tags.begin();
  if (!std::regex_match(tag, match, release)) {
    fail(file,
         tag.empty() ? "the Postal image has no tag, which names no release"
                     : "the Postal image tag '" + tag.substr(0, 64) + "' names no release");
  }
  return match[1].str();
}

} // namespace pbk::cli
