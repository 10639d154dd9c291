// SPDX-License-Identifier: MIT
#include "backup/config_directory.hpp"

#include "archive/member_path.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "core/io/regular_file.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace pbk::backup {
namespace {

namespace fs = std::filesystem;

std::string kind_of(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec); // follows links: what the entry stands for
  if (fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(status)) {
    return "a dangling symbolic link";
  }
  if (fs::is_directory(status)) {
    return "a directory";
  }
  return "not a regular file";
}

std::vector<std::string> sorted_names(const fs::path& directory) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) {
    throw core::Error(core::ExitCode::runtime,
                      "cannot list the config directory " + directory.string() + ": "
                          + ec.message(),
                      {"run create as a user that can read Postal's config directory"});
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<core::io::RegularFile> read_one(const fs::path& path) {
  try {
    return core::io::read_regular_file(
        path, core::io::Symlinks::follow, archive::k_max_config_bytes);
  } catch (const core::IoError& e) {
    if (e.err() == ENOENT) {
      return std::nullopt; // a link to nothing, or removed while listing: reported as skipped
    }
    throw core::Error(core::ExitCode::runtime,
                      std::string("config directory: ") + e.what(),
                      {e.err() == EFBIG ? "--include-config takes Postal's config directory, "
                                          "whose files are small"
                                        : "run create as a user that can read every file of "
                                          "Postal's config directory (signing.key is usually "
                                          "readable by its owner only)"});
  }
}

} // namespace

ConfigDirectory read_config_directory(const fs::path& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    throw core::Error(core::ExitCode::usage,
                      "--include-config " + directory.string() + " is not a directory",
                      {"give Postal's config directory, the one holding postal.yml"});
  }
  ConfigDirectory config;
  config.directory = fs::absolute(directory).lexically_normal().string();
  std::uint64_t total = 0;
  for (const auto& name : sorted_names(directory)) {
    const fs::path path = directory / name;
    auto read = read_one(path);
    if (!read) {
      config.skipped.push_back(name + " (" + kind_of(path) + ")");
      continue;
    }
    total += read->content.size();
    if (total > archive::k_max_config_bytes) {
      throw core::Error(core::ExitCode::runtime,
                        "config directory " + directory.string() + " holds more than "
                            + std::to_string(archive::k_max_config_bytes >> 20) + " MiB",
                        {"--include-config takes Postal's config directory, whose files are "
                         "small; keep large files elsewhere"});
    }
    archive::ConfigFile file{name, read->mode, read->mtime, core::hash::sha256_hex(read->content)};
    config.files.push_back({std::move(file), std::move(read->content)});
  }
  if (config.files.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "--include-config " + directory.string() + " holds no regular file",
                      {"give Postal's config directory, the one holding postal.yml"});
  }
  return config;
}

archive::ConfigInfo config_info(const ConfigDirectory& config) {
  return {config.directory, config.files.size()};
}

void add_config_members(archive::ArchiveBuilder& builder,
                        const ConfigDirectory& config,
                        const archive::CompressionSettings& settings) {
  for (const auto& entry : config.files) {
    archive::CompressedMember member(settings);
    member.input().write(std::as_bytes(std::span(entry.content.data(), entry.content.size())));
    member.finish();
    builder.add_config_file(entry.file, member);
  }
}

} // namespace pbk::backup
