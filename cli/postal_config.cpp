// SPDX-License-Identifier: MIT
// A legacy config is read as Postal 1.x/2.x read it: postal.yml deep-merged with an optional
// postal.local.yml beside it (the local file wins key by key). A `version: 2` file is read as
// Postal 3.x reads it: the file, then MAIN_DB_* / MESSAGE_DB_* environment variables on top.
// A key that is present but empty (`password:`) means the default, as it does for Postal.
#include "cli/postal_config.hpp"

#include "cli/command_typos.hpp"
#include "core/error.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace pbk::cli {

namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ExitCode;

struct Layer {
  std::string file; // for messages
  YAML::Node root;
};

[[noreturn]] void fail(const std::string& what, const std::string& file) {
  throw Error(ExitCode::usage,
              what,
              {"fix " + file + ", or connect with --host/--port/--user instead of --config"});
}

std::string read_text(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw Error(ExitCode::usage,
                "cannot read Postal config " + path.string() + ": is a directory",
                {"pass the file itself, e.g. " + (path / "postal.yml").string()});
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) {
    text << in.rdbuf();
  }
  if (!in || in.bad()) {
    const int err = errno != 0 ? errno : EIO;
    throw Error(ExitCode::usage,
                core::describe_errno("cannot read Postal config " + path.string(), err),
                {"pass the path of Postal's postal.yml with --config (usually "
                 "/opt/postal/config/postal.yml)"});
  }
  return text.str();
}

Layer load_layer(const fs::path& path) {
  Layer layer{path.string(), {}};
  const auto text = read_text(path);
  try {
    layer.root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's messages describe the syntax only, never the document's values.
    fail(layer.file + ": invalid YAML at line " + std::to_string(e.mark.line + 1) + ", column "
             + std::to_string(e.mark.column + 1) + ": " + e.msg,
         layer.file);
  }
  if (layer.root.IsNull()) {
    layer.root = YAML::Node(YAML::NodeType::Map); // an empty file: every default
  } else if (!layer.root.IsMap()) {
    fail(layer.file + ": expected a YAML mapping of settings at the top level", layer.file);
  }
  return layer;
}

const char* describe_kind(const YAML::Node& node) {
  return node.IsMap() ? "a mapping" : node.IsSequence() ? "a list" : "a non-scalar value";
}

struct Found {
  std::string value;
  std::string file;
};

// section.key from the highest layer that has it; nullopt when absent or empty everywhere
// above. The value is never put into a message: it may be the password.
std::optional<Found>
lookup(const std::vector<Layer>& layers, const std::string& section, const std::string& key) {
  for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
    const YAML::Node block = layer->root[section];
    if (!block.IsDefined() || block.IsNull()) {
      continue;
    }
    if (!block.IsMap()) {
      fail(layer->file + ": " + section + ": expected a mapping of connection settings, found "
               + describe_kind(block),
           layer->file);
    }
    const YAML::Node value = block[key];
    if (!value.IsDefined()) {
      continue;
    }
    if (value.IsNull()) {
      return std::nullopt;
    }
    const std::string where = layer->file + ": " + section + "." + key;
    if (!value.IsScalar()) {
      fail(where + ": expected a single value, found " + describe_kind(value), layer->file);
    }
    if (value.Scalar().find("<%") != std::string::npos) {
      fail(where + ": contains an ERB tag (<% ... %>), which only Postal itself evaluates",
           layer->file);
    }
    return Found{value.Scalar(), layer->file};
  }
  return std::nullopt;
}

unsigned parse_port(const std::string& text, const std::string& where, const std::string& file) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535) {
    fail(where + ": expected a port number (1-65535), got '" + text + "'", file);
  }
  return port;
}

void read_endpoint(const std::vector<Layer>& layers, const std::string& section, DbEndpoint& out) {
  if (auto host = lookup(layers, section, "host")) {
    out.host = host->value;
    out.host_given = true;
  }
  if (auto port = lookup(layers, section, "port")) {
    out.port = parse_port(port->value, port->file + ": " + section + ".port", port->file);
  }
  if (auto username = lookup(layers, section, "username")) {
    out.username = username->value;
  }
  if (auto password = lookup(layers, section, "password")) {
    out.password = password->value;
  }
}

int read_format_version(const Layer& layer) {
  const YAML::Node version = layer.root["version"];
  if (!version.IsDefined() || version.IsNull()) {
    return 1;
  }
  if (version.IsScalar() && (version.Scalar() == "1" || version.Scalar() == "2")) {
    return version.Scalar() == "1" ? 1 : 2;
  }
  fail(layer.file
           + ": version: unsupported config format (postal-backup reads the legacy format and "
             "version 2)",
       layer.file);
}

// Postal's environment variables for one block. Version 2 files let the environment win (3.x
// reads it on top of the file); legacy files take it only for keys they leave out, as 2.x's
// postal.defaults.yml does. `block` and `name_key` name the YAML keys the variables stand for.
void apply_env(const std::map<std::string, std::string>& env,
               const std::vector<Layer>& layers,
               int format_version,
               const std::string& block,
               const std::string& name_key,
               DbEndpoint& endpoint,
               std::string& name) {
  const std::string prefix = block == "main_db" ? "MAIN_DB_" : "MESSAGE_DB_";
  const auto get = [&](const std::string& suffix, const std::string& key) -> const std::string* {
    const auto it = env.find(prefix + suffix);
    if (it == env.end() || (format_version == 1 && lookup(layers, block, key))) {
      return nullptr;
    }
    return &it->second;
  };
  if (const auto* v = get("HOST", "host")) {
    endpoint.host = *v;
    endpoint.host_given = true;
  }
  if (const auto* v = get("PORT", "port")) {
    const std::string var = prefix + "PORT";
    endpoint.port =
        parse_port(*v, "environment variable " + var, "the environment variable " + var);
  }
  if (const auto* v = get("USERNAME", "username")) {
    endpoint.username = *v;
  }
  if (const auto* v = get("PASSWORD", "password")) {
    endpoint.password = *v;
  }
  if (const auto* v = get(block == "main_db" ? "DATABASE" : "DATABASE_NAME_PREFIX", name_key)) {
    name = *v;
  }
}

// The keys Postal reads in each block, by format (docs/operations.md, "Postal's config").
std::vector<std::string> known_keys(const std::string& section, int format_version) {
  std::vector<std::string> keys{"host", "port", "username", "password", "pool_size", "encoding"};
  if (section == "main_db") {
    keys.emplace_back("database");
  } else {
    keys.emplace_back(format_version == 1 ? "prefix" : "database_name_prefix");
  }
  return keys;
}

std::string unknown_key_warning(const std::string& file,
                                const std::string& section,
                                const std::string& key,
                                int format_version) {
  const std::string where = file + ": " + section + "." + key;
  if (section == "message_db" && format_version == 1 && key == "database_name_prefix") {
    return where
           + " is a Postal 3.x key, read only from a file that starts with `version: 2`; "
             "this file is read in the 1.x/2.x format, whose name for it is "
             "message_db.prefix: ignored";
  }
  if (section == "message_db" && format_version == 2 && key == "prefix") {
    return where
           + " is the 1.x/2.x name; a `version: 2` file names it "
             "message_db.database_name_prefix: ignored";
  }
  const auto suggestion = closest(key, known_keys(section, format_version));
  return where + " is not a key Postal reads"
         + (suggestion ? " \u2014 did you mean " + section + "." + *suggestion + "?" : "")
         + ": ignored";
}

void check_keys(const std::vector<Layer>& layers, int format_version, PostalConfig& config) {
  for (const auto& layer : layers) {
    for (const std::string section : {"main_db", "message_db"}) {
      const YAML::Node block = layer.root[section];
      if (!block.IsDefined() || !block.IsMap()) {
        continue;
      }
      const auto known = known_keys(section, format_version);
      for (const auto& entry : block) {
        const auto key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
        if (std::find(known.begin(), known.end(), key) == known.end()) {
          config.warnings.push_back(unknown_key_warning(layer.file, section, key, format_version));
        }
      }
    }
  }
}

} // namespace

PostalConfig load_postal_config(const fs::path& path,
                                const std::map<std::string, std::string>& env) {
  std::vector<Layer> layers{load_layer(path)};
  PostalConfig config;
  config.format_version = read_format_version(layers.front());
  if (config.format_version == 1) {
    const auto local = path.parent_path() / "postal.local.yml";
    std::error_code ec;
    if (fs::exists(local, ec)) {
      layers.push_back(load_layer(local));
    }
  }
  if (config.format_version == 2) {
    // 3.x's own default: the client library takes "localhost" as the local socket.
    config.main_db.host = "localhost";
    config.message_db.host = "localhost";
  }
  check_keys(layers, config.format_version, config);
  read_endpoint(layers, "main_db", config.main_db);
  read_endpoint(layers, "message_db", config.message_db);
  if (auto database = lookup(layers, "main_db", "database")) {
    config.main_database = database->value;
  }
  // 3.x renamed message_db.prefix; each format is read with its own name only.
  const char* prefix_key = config.format_version == 1 ? "prefix" : "database_name_prefix";
  if (auto prefix = lookup(layers, "message_db", prefix_key)) {
    config.message_db_prefix = prefix->value;
  }
  apply_env(env,
            layers,
            config.format_version,
            "main_db",
            "database",
            config.main_db,
            config.main_database);
  apply_env(env,
            layers,
            config.format_version,
            "message_db",
            prefix_key,
            config.message_db,
            config.message_db_prefix);
  return config;
}

} // namespace pbk::cli
