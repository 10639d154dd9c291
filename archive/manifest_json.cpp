// SPDX-License-Identifier: MIT
#include "archive/manifest_json.hpp"

#include "archive/json_budget.hpp"

#include "core/error.hpp"
#include "core/hash/sha256.hpp"
#include "core/version_order.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace pbk::archive {
namespace {

using Json = nlohmann::ordered_json;
constexpr std::string_view k_self_hash_key = "\"manifest_sha256\": \"";
constexpr std::size_t k_hex_digits = 64;
constexpr std::string_view k_hmac_key = "\"manifest_hmac\": \"";
constexpr std::string_view k_signature_key = "\"signature\": \"";
constexpr std::size_t k_signature_digits = 128;

// Replaces the `digits` characters after the last `key` with '0's. The last occurrence is the
// manifest's own field: keys inside strings have their quotes escaped, and these fields come
// after members and tables.
void blank_value(std::string& text, std::string_view key, std::size_t digits) {
  const auto at = text.rfind(key);
  if (at != std::string::npos && at + key.size() + digits <= text.size()) {
    text.replace(at + key.size(), digits, std::string(digits, '0'));
  }
}

Json to_json(const EncryptionInfo& e) {
  return {{"cipher", e.cipher},
          {"chunk", e.chunk},
          {"kdf", e.kdf},
          {"salt", e.salt},
          {"N", e.n},
          {"r", e.r},
          {"p", e.p},
          {"key_check", e.key_check}};
}

EncryptionInfo encryption_from_json(const Json& j) {
  EncryptionInfo e;
  e.cipher = j.at("cipher").get<std::string>();
  e.chunk = j.at("chunk").get<std::uint64_t>();
  e.kdf = j.at("kdf").get<std::string>();
  if (e.cipher != "AES-256-GCM" || e.kdf != "scrypt" || e.chunk != (std::uint64_t{1} << 20)) {
    throw std::invalid_argument("encryption " + e.cipher + "/" + e.kdf + " with "
                                + std::to_string(e.chunk)
                                + "-byte chunks is not one this postal-backup reads "
                                  "(AES-256-GCM/scrypt, 1048576)");
  }
  e.salt = j.at("salt").get<std::string>();
  e.n = j.at("N").get<std::uint64_t>();
  e.r = j.at("r").get<std::uint32_t>();
  e.p = j.at("p").get<std::uint32_t>();
  e.key_check = j.at("key_check").get<std::string>();
  return e;
}

template <class T>
void put_optional(Json& j, const char* key, const std::optional<T>& value) {
  j[key] = value ? Json(*value) : Json(nullptr);
}

template <class T>
std::optional<T> get_optional(const Json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) {
    return std::nullopt;
  }
  return j.at(key).get<T>();
}

// Postal's servers.id is a signed int; get<int>() would wrap 4294967297 to 1 and merge two
// databases into one.
std::optional<int> server_id_from_json(const Json& j) {
  if (!j.contains("server_id") || j.at("server_id").is_null()) {
    return std::nullopt;
  }
  const Json& id = j.at("server_id");
  if (!id.is_number_unsigned() || id.get<std::uint64_t>() < 1
      || id.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    throw std::invalid_argument("server_id is not a whole number from 1 to "
                                + std::to_string(std::numeric_limits<int>::max()));
  }
  return static_cast<int>(id.get<std::uint64_t>());
}

Json to_json(const ServerInfo& s) {
  Json j;
  j["endpoint"] = s.endpoint;
  j["server_version"] = s.server_version;
  j["log_bin"] = s.log_bin;
  put_optional(j, "binlog_file", s.binlog_file);
  put_optional(j, "binlog_position", s.binlog_position);
  put_optional(j, "gtid_position", s.gtid_position);
  j["sql_log_bin_disabled"] = s.sql_log_bin_disabled;
  return j;
}

Json to_json(const DatabaseInfo& d) {
  Json j;
  j["name"] = d.name;
  j["role"] = to_string(d.role);
  put_optional(j, "server_id", d.server_id);
  j["server_index"] = d.server_index;
  j["charset"] = d.charset;
  j["collation"] = d.collation;
  j["schema_hash"] = d.schema_hash;
  j["schema_level"] = d.schema_level;
  j["migrations"] = d.migrations;
  j["tables"] = d.tables;
  return j;
}

ServerInfo server_from_json(const Json& j) {
  ServerInfo s;
  s.endpoint = j.at("endpoint").get<std::string>();
  s.server_version = j.at("server_version").get<std::string>();
  s.log_bin = j.at("log_bin").get<bool>();
  s.binlog_file = get_optional<std::string>(j, "binlog_file");
  s.binlog_position = get_optional<std::uint64_t>(j, "binlog_position");
  s.gtid_position = get_optional<std::string>(j, "gtid_position");
  s.sql_log_bin_disabled = j.value("sql_log_bin_disabled", false);
  return s;
}

DatabaseInfo database_from_json(const Json& j) {
  DatabaseInfo d;
  d.name = j.at("name").get<std::string>();
  const auto role = j.at("role").get<std::string>();
  if (role != "main" && role != "message") {
    throw std::invalid_argument("unknown database role '" + role + "'");
  }
  d.role = role == "main" ? DatabaseRole::main : DatabaseRole::message;
  d.server_id = server_id_from_json(j);
  d.server_index = j.at("server_index").get<std::size_t>();
  d.charset = j.at("charset").get<std::string>();
  d.collation = j.at("collation").get<std::string>();
  d.schema_hash = j.at("schema_hash").get<std::string>();
  d.schema_level = j.at("schema_level").get<std::string>();
  d.migrations = j.at("migrations").get<std::vector<std::string>>();
  d.tables = j.at("tables").get<std::vector<std::string>>();
  return d;
}

VersionSource version_source_from_string(const std::string& text) {
  for (auto source : {VersionSource::flag,
                      VersionSource::postal_app,
                      VersionSource::postal_compose,
                      VersionSource::schema_level}) {
    if (text == to_string(source)) {
      return source;
    }
  }
  throw std::invalid_argument("unknown version_source '" + text + "'");
}

// Modes are written as octal text ("0640"), as ls and chmod speak of them.
std::string mode_text(std::uint32_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 0777));
  return text;
}

std::uint32_t mode_from_text(const std::string& text) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos) {
    throw std::invalid_argument("config mode '" + text + "' is not an octal permission mode");
  }
  std::uint32_t mode = 0;
  for (const char digit : text) { // at most four octal digits: no overflow
    mode = mode * 8 + static_cast<std::uint32_t>(digit - '0');
  }
  if (mode > 0777) {
    throw std::invalid_argument("config mode '" + text + "' has bits beyond 0777");
  }
  return mode;
}

Json config_info_json(const std::optional<ConfigInfo>& config) {
  if (!config) {
    return nullptr;
  }
  return {{"directory", config->directory}, {"files", config->files}};
}

std::optional<ConfigInfo> config_info_from_json(const Json& j) {
  if (!j.contains("config") || j.at("config").is_null()) {
    return std::nullopt; // archives made without --include-config, or before it existed
  }
  const Json& c = j.at("config");
  return ConfigInfo{c.at("directory").get<std::string>(), c.at("files").get<std::size_t>()};
}

void put_member_identity(Json& e, const MemberRecord& r) {
  if (r.kind == MemberKind::config) {
    const ConfigFile& file = r.config.value();
    e["file"] = file.name;
    e["mode"] = mode_text(file.mode);
    e["mtime"] = file.mtime;
    e["content_sha256"] = file.sha256;
  } else if (r.kind != MemberKind::backup_info) {
    e["database"] = r.database;
    e["table"] = r.table;
  }
}

Json proof_to_json(const RawTableProof& p) {
  Json j = {{"settled", p.settled},
            {"max_id", p.max_id},
            {"messages", p.messages},
            {"recorded_size", p.recorded_size}};
  j["checksum"] = p.checksum ? Json(*p.checksum) : Json(nullptr);
  if (p.id_block != 0) {
    j["id_block"] = p.id_block;
    j["blocks"] = Json::array();
    for (const auto& block : p.blocks) {
      j["blocks"].push_back({{"first_id", block.first_id},
                             {"last_id", block.last_id},
                             {"members", block.members},
                             {"dirty", block.dirty}});
    }
  }
  return j;
}

// get<std::int64_t>() would wrap an unsigned value above INT64_MAX to a negative id.
std::int64_t id_from_json(const Json& j) {
  if (!j.is_number_integer()
      || (j.is_number_unsigned()
          && j.get<std::uint64_t>()
                 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
    throw std::invalid_argument("an id block bound is not a 64-bit whole number");
  }
  return j.get<std::int64_t>();
}

// get<std::uint64_t>() would wrap -1 to 2^64 - 1.
std::uint64_t count_from_json(const Json& j) {
  if (!j.is_number_unsigned()) {
    throw std::invalid_argument("an id block's members is not a count");
  }
  return j.get<std::uint64_t>();
}

RawIdBlock id_block_from_json(const Json& j) {
  return RawIdBlock{id_from_json(j.at("first_id")),
                    id_from_json(j.at("last_id")),
                    count_from_json(j.at("members")),
                    j.at("dirty").get<bool>()};
}

// Manifests without id_block (older ones, or copies whose rows were not in id order) record no
// blocks; the blocks they record are held to check_id_blocks.
RawTableProof proof_from_json(const Json& j, std::size_t chunks) {
  RawTableProof p;
  p.settled = j.at("settled").get<bool>();
  p.max_id = j.at("max_id").get<std::string>();
  p.messages = j.at("messages").get<std::uint64_t>();
  p.recorded_size = j.at("recorded_size").get<std::string>();
  p.checksum = get_optional<std::string>(j, "checksum");
  if (j.contains("id_block")) {
    p.id_block = id_from_json(j.at("id_block"));
    const Json& blocks = j.at("blocks");
    if (!blocks.is_array() || blocks.size() > chunks) {
      throw std::invalid_argument("a proof's blocks are not a list of at most chunks entries");
    }
    p.blocks.reserve(blocks.size());
    for (const auto& block : blocks) {
      p.blocks.push_back(id_block_from_json(block));
    }
  }
  check_id_blocks(p, chunks);
  return p;
}

std::optional<ConfigFile> config_file_from_json(const Json& e, MemberKind kind) {
  if (kind != MemberKind::config) {
    return std::nullopt;
  }
  return ConfigFile{e.at("file").get<std::string>(),
                    mode_from_text(e.at("mode").get<std::string>()),
                    e.at("mtime").get<std::int64_t>(),
                    e.at("content_sha256").get<std::string>()};
}

TableOutcome outcome_from_string(const std::string& text) {
  for (auto outcome : {TableOutcome::complete,
                       TableOutcome::dropped_during_backup,
                       TableOutcome::created_after_snapshot}) {
    if (text == to_string(outcome)) {
      return outcome;
    }
  }
  throw std::invalid_argument("unknown table outcome '" + text + "'");
}

// Every number of the format is a whole number. A fractional one (1e300) would reach
// get<int>() and be converted out of range, which is undefined behaviour.
bool whole_numbers_only(int /*depth*/, Json::parse_event_t event, Json& parsed) {
  if (event == Json::parse_event_t::value && parsed.is_number_float()) {
    throw std::invalid_argument("a number is not a whole number");
  }
  return true;
}

// Every parse failure of a member becomes one IntegrityError naming the member.
template <class F>
auto parse_member(const char* member, std::string_view text, F&& build) {
  check_json_budget(text, member);
  try {
    return build(Json::parse(text, whole_numbers_only));
  } catch (const std::exception& e) {
    throw core::IntegrityError(std::string("archive member ") + member
                                   + " is malformed: " + e.what(),
                               {"the archive is damaged or was not written by postal-backup"});
  }
}

// Message-DB levels and migrations are numbers that plans and reports compute with.
void check_message_levels(const BackupInfo& info) {
  for (const auto& database : info.databases) {
    if (database.role != DatabaseRole::message) {
      continue;
    }
    const std::string where = std::string(k_backup_member) + ": database " + database.name;
    (void)core::message_migration_number(database.schema_level, where);
    for (const auto& migration : database.migrations) {
      (void)core::message_migration_number(migration, where);
    }
  }
}

void check_format_version(int version, const char* member) {
  if (version != k_format_version) {
    throw core::IntegrityError(std::string(member) + " has format version "
                                   + std::to_string(version) + ", this postal-backup reads "
                                   + std::to_string(k_format_version),
                               {"use the postal-backup release that wrote the archive"});
  }
}

} // namespace

Json to_json(const BackupInfo& info) {
  Json j;
  j["format_version"] = info.format_version;
  j["tool"] = {{"name", "postal-backup"}, {"version", info.tool_version}};
  j["created_at"] = info.created_at;
  put_optional(j, "tag", info.tag);
  Json postal;
  put_optional(postal, "version", info.postal.version);
  postal["version_source"] = to_string(info.postal.version_source);
  put_optional(postal, "release_range", info.postal.release_range);
  postal["main_schema_level"] = info.postal.main_schema_level;
  postal["main_migrations"] = info.postal.main_migrations;
  postal["message_db_prefix"] = info.postal.message_db_prefix;
  j["postal"] = postal;
  j["servers"] = Json::array();
  for (const auto& s : info.servers) {
    j["servers"].push_back(to_json(s));
  }
  j["databases"] = Json::array();
  for (const auto& d : info.databases) {
    j["databases"].push_back(to_json(d));
  }
  j["config"] = config_info_json(info.config);
  if (info.encryption) {
    j["encryption"] = to_json(*info.encryption);
  }
  return j;
}

std::string serialize(const BackupInfo& info) {
  return to_json(info).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

BackupInfo parse_backup_info(std::string_view text) {
  BackupInfo info = parse_member(k_backup_member, text, [](const Json& j) {
    BackupInfo b;
    b.format_version = j.at("format_version").get<int>();
    if (b.format_version != k_format_version) {
      return b; // checked below, outside the malformed-JSON wrapper
    }
    b.tool_version = j.at("tool").at("version").get<std::string>();
    b.created_at = j.at("created_at").get<std::string>();
    b.tag = get_optional<std::string>(j, "tag");
    const Json& p = j.at("postal");
    b.postal.version = get_optional<std::string>(p, "version");
    b.postal.version_source = version_source_from_string(p.at("version_source").get<std::string>());
    b.postal.release_range = get_optional<std::string>(p, "release_range");
    b.postal.main_schema_level = p.at("main_schema_level").get<std::string>();
    b.postal.main_migrations = p.at("main_migrations").get<std::vector<std::string>>();
    b.postal.message_db_prefix = p.value("message_db_prefix", "postal");
    for (const auto& s : j.at("servers")) {
      b.servers.push_back(server_from_json(s));
    }
    for (const auto& d : j.at("databases")) {
      b.databases.push_back(database_from_json(d));
    }
    b.config = config_info_from_json(j);
    if (j.contains("encryption") && !j.at("encryption").is_null()) {
      b.encryption = encryption_from_json(j.at("encryption"));
    }
    return b;
  });
  check_format_version(info.format_version, k_backup_member);
  check_message_levels(info);
  check_distinct_databases(info.databases);
  return info;
}

Json to_json(const Manifest& m) {
  Json j;
  j["format_version"] = m.format_version;
  j["finished_at"] = m.finished_at;
  j["members"] = Json::array();
  for (const auto& r : m.members) {
    Json e;
    e["path"] = r.path;
    e["kind"] = to_string(r.kind);
    put_member_identity(e, r);
    e["size"] = r.size;
    e["raw_size"] = r.raw_size;
    if (r.kind == MemberKind::rows) {
      e["rows"] = r.rows;
    }
    e["sha256"] = r.sha256;
    j["members"].push_back(e);
  }
  j["tables"] = Json::array();
  for (const auto& t : m.tables) {
    Json e = {{"database", t.database},
              {"table", t.table},
              {"outcome", to_string(t.outcome)},
              {"in_snapshot", t.in_snapshot},
              {"rows", t.rows},
              {"raw_size", t.raw_size},
              {"max_row_size", t.max_row_size},
              {"chunks", t.chunks}};
    if (t.content_sha256) {
      e["content_sha256"] = *t.content_sha256;
    }
    if (t.proof) {
      e["proof"] = proof_to_json(*t.proof);
    }
    j["tables"].push_back(std::move(e));
  }
  if (m.manifest_hmac) {
    j["manifest_hmac"] = *m.manifest_hmac;
  }
  if (m.signature) {
    j["signature"] = {{"algorithm", m.signature->algorithm},
                      {"public_key", m.signature->public_key},
                      {"signature", m.signature->signature}};
  }
  j["manifest_sha256"] = m.manifest_sha256;
  return j;
}

std::string serialize(Manifest& manifest, const ManifestAuthenticator& authenticate) {
  manifest.manifest_sha256.assign(k_hex_digits, '0');
  if (manifest.manifest_hmac && authenticate) {
    manifest.manifest_hmac->assign(k_hex_digits, '0');
  }
  if (manifest.signature && authenticate) {
    manifest.signature->signature.assign(k_signature_digits, '0');
  }
  const auto dump = [&] {
    return to_json(manifest).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  };
  std::string text = dump();
  if (authenticate) {
    authenticate(text, manifest); // the values are zeros: text is the authenticated text
    text = dump();
  }
  manifest.manifest_sha256 = core::hash::sha256_hex(text);
  const auto at = text.rfind(k_self_hash_key);
  text.replace(at + k_self_hash_key.size(), k_hex_digits, manifest.manifest_sha256);
  return text;
}

std::string authenticated_text(std::string_view manifest_text) {
  std::string text(manifest_text);
  blank_value(text, k_self_hash_key, k_hex_digits);
  blank_value(text, k_hmac_key, k_hex_digits);
  blank_value(text, k_signature_key, k_signature_digits);
  return text;
}

bool manifest_self_hash_matches(std::string_view text) {
  const auto at = text.rfind(k_self_hash_key);
  if (at == std::string_view::npos || at + k_self_hash_key.size() + k_hex_digits > text.size()) {
    return false;
  }
  const auto value_at = at + k_self_hash_key.size();
  std::string zeroed(text);
  const std::string recorded = zeroed.substr(value_at, k_hex_digits);
  zeroed.replace(value_at, k_hex_digits, std::string(k_hex_digits, '0'));
  return core::hash::sha256_hex(zeroed) == recorded;
}

MemberKind member_kind_from_string(std::string_view text) {
  for (auto kind :
       {MemberKind::backup_info, MemberKind::schema, MemberKind::rows, MemberKind::config}) {
    if (text == to_string(kind)) {
      return kind;
    }
  }
  throw std::invalid_argument("unknown member kind '" + std::string(text) + "'");
}

Manifest parse_manifest(std::string_view text) {
  Manifest manifest = parse_member(k_manifest_member, text, [](const Json& j) {
    Manifest m;
    m.format_version = j.at("format_version").get<int>();
    if (m.format_version != k_format_version) {
      return m;
    }
    m.finished_at = j.at("finished_at").get<std::string>();
    for (const auto& e : j.at("members")) {
      MemberRecord r;
      r.path = e.at("path").get<std::string>();
      r.kind = member_kind_from_string(e.at("kind").get<std::string>());
      r.database = e.value("database", "");
      r.table = e.value("table", "");
      r.size = e.at("size").get<std::uint64_t>();
      r.raw_size = e.at("raw_size").get<std::uint64_t>();
      r.rows = e.value("rows", std::uint64_t{0});
      r.sha256 = e.at("sha256").get<std::string>();
      r.config = config_file_from_json(e, r.kind);
      m.members.push_back(std::move(r));
    }
    for (const auto& e : j.at("tables")) {
      TableRecord t;
      t.database = e.at("database").get<std::string>();
      t.table = e.at("table").get<std::string>();
      t.outcome = outcome_from_string(e.at("outcome").get<std::string>());
      t.in_snapshot = e.at("in_snapshot").get<bool>();
      t.rows = e.at("rows").get<std::uint64_t>();
      t.raw_size = e.at("raw_size").get<std::uint64_t>();
      t.max_row_size = e.at("max_row_size").get<std::uint64_t>();
      t.chunks = e.at("chunks").get<std::size_t>();
      t.content_sha256 = get_optional<std::string>(e, "content_sha256");
      if (e.contains("proof") && !e.at("proof").is_null()) {
        t.proof = proof_from_json(e.at("proof"), t.chunks);
      }
      m.tables.push_back(std::move(t));
    }
    m.manifest_hmac = get_optional<std::string>(j, "manifest_hmac");
    if (j.contains("signature") && !j.at("signature").is_null()) {
      const Json& sig = j.at("signature");
      m.signature = ManifestSignature{sig.at("algorithm").get<std::string>(),
                                      sig.at("public_key").get<std::string>(),
                                      sig.at("signature").get<std::string>()};
    }
    m.manifest_sha256 = j.at("manifest_sha256").get<std::string>();
    return m;
  });
  check_format_version(manifest.format_version, k_manifest_member);
  return manifest;
}

} // namespace pbk::archive
