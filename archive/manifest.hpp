// SPDX-License-Identifier: MIT
// The archive's two JSON documents. docs/format.md is the full specification; in short:
//
//   archive   := pax tar of: "backup.json" member* "manifest.json"
//   backup.json   (plain JSON) everything known before any row is read: tool, Postal version,
//                 servers, databases with schema hash, migrations and table list. Enough for a
//                 restore to decide ready / refused before it loads anything.
//   member    := config/<file>.zst (create --include-config; before the tables)
//              | <db>/<table>/schema.sql.zst | <db>/<table>/rows-NNNNNN.tsv.zst
//                 each one zstd frame (checksummed); rows are LOAD DATA-style TSV
//   manifest.json (plain JSON, the commit point) every member in archive order with sizes,
//                 SHA-256 and rows, per-table outcome, and a SHA-256 over the manifest itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pbk::archive {

inline constexpr int k_format_version = 1;
inline constexpr const char* k_backup_member = "backup.json";
inline constexpr const char* k_manifest_member = "manifest.json";
// Postal's config directory is a few small files; more than this is not one, and a restore
// buffers them all in memory until the manifest has vouched for them.
inline constexpr std::uint64_t k_max_config_bytes = std::uint64_t{16} << 20;

// Hard caps on what an archive can make a reader read, hold or send (docs/format.md,
// "Limits"). The manifest's own records bound each member more tightly where it is known in
// time; these hold when it is not (a pipe) or when it records more than any archive needs.
//
// backup.json and manifest.json: a manifest lists every member in about 400 bytes, so this
// holds some 40,000 members (a hundred servers with 90 days of raw tables each); parsed,
// a document costs at most k_max_json_values values and k_max_json_depth levels.
inline constexpr std::uint64_t k_max_json_bytes = std::uint64_t{16} << 20;
inline constexpr std::size_t k_max_json_values = std::size_t{1} << 20;
inline constexpr std::size_t k_max_json_depth = 16;
// One row's value bytes. A restore holds a row (a few times over for INSERTs) before the
// server takes it; `create` refuses to write a larger one.
inline constexpr std::uint64_t k_max_row_bytes = std::uint64_t{64} << 20;
// MariaDB's limit on the columns of a table, so on the fields of a row.
inline constexpr std::size_t k_max_row_fields = 4096;
// A rows member ends after the row that takes it past --chunk-size (at most 1024 MiB); that
// row may need twice its bytes once escaped.
inline constexpr std::uint64_t k_max_chunk_bytes = std::uint64_t{1} << 30;
inline constexpr std::uint64_t k_max_member_raw_bytes =
    k_max_chunk_bytes + 2 * k_max_row_bytes + (std::uint64_t{1} << 20);
// Stored: zstd and sealing add well under 1% to data that does not compress.
inline constexpr std::uint64_t k_max_member_bytes =
    k_max_member_raw_bytes + k_max_member_raw_bytes / 64;

enum class DatabaseRole { main, message };

// Where the Postal version of a backup came from, strongest first.
enum class VersionSource { flag, postal_app, postal_compose, schema_level };

struct ServerInfo {
  std::string endpoint;       // user@host:port or user@/socket; never a password
  std::string server_version; // SELECT VERSION()
  bool log_bin = false;
  std::optional<std::string> binlog_file; // position of the snapshot, when binlog is on
  std::optional<std::uint64_t> binlog_position;
  std::optional<std::string> gtid_position;
  bool sql_log_bin_disabled = false; // whether per-table lock release was possible
};

struct DatabaseInfo {
  std::string name;
  DatabaseRole role = DatabaseRole::main;
  std::optional<int> server_id; // message DBs: the id in <prefix>-server-<id>
  std::size_t server_index = 0; // into BackupInfo::servers
  std::string charset;
  std::string collation;
  std::string schema_hash;
  std::string schema_level;            // main: last version; message: highest number
  std::vector<std::string> migrations; // applied, ascending (message DBs: numbers as text)
  std::vector<std::string> tables;     // in archive order
};

struct PostalInfo {
  std::optional<std::string> version;
  VersionSource version_source = VersionSource::schema_level;
  // The releases that have the backup's schema levels ("2.0.0-beta.1–2.2.2"), from the
  // catalog of the tool that wrote it; null when no release it knew has them.
  std::optional<std::string> release_range;
  std::string main_schema_level;
  std::vector<std::string> main_migrations;
  std::string message_db_prefix = "postal";
};

// create --include-config: that a config directory is stored, never what it holds.
struct ConfigInfo {
  std::string directory; // as it was on the host that made the backup
  std::size_t files = 0;
};

// backup.json "encryption" (docs/format.md, "Encryption"): how the data members are sealed
// and how a key is recognised; nothing secret.
struct EncryptionInfo {
  std::string cipher = "AES-256-GCM";
  std::uint64_t chunk = std::uint64_t{1} << 20; // plain bytes per sealed chunk
  std::string kdf = "scrypt";
  std::string salt; // hex, 16 random bytes per archive
  std::uint64_t n = std::uint64_t{1} << 15;
  std::uint32_t r = 8;
  std::uint32_t p = 1;
  std::string key_check; // hex HMAC-SHA256(check subkey, "postal-backup key check")
};

struct BackupInfo {
  int format_version = k_format_version;
  std::string tool_version;
  std::string created_at; // ISO 8601 UTC, when the snapshot was taken
  std::optional<std::string> tag;
  PostalInfo postal;
  std::vector<ServerInfo> servers;
  std::vector<DatabaseInfo> databases;
  std::optional<ConfigInfo> config;         // absent: no config directory (and in older archives)
  std::optional<EncryptionInfo> encryption; // absent: members are not sealed
};

enum class MemberKind { backup_info, schema, rows, config };

// One file of Postal's config directory, as it was when the backup read it.
struct ConfigFile {
  std::string name;          // file name inside the directory (the directory is flat)
  std::uint32_t mode = 0600; // permission bits (0777 at most)
  std::int64_t mtime = 0;    // Unix seconds
  std::string sha256;        // of the file's content, i.e. of the member after zstd -d
};

struct MemberRecord {
  std::string path;
  MemberKind kind = MemberKind::rows;
  std::string database; // empty for backup_info
  std::string table;
  std::uint64_t size = 0;           // bytes stored in the archive
  std::uint64_t raw_size = 0;       // bytes after zstd -d (equal to size for backup.json)
  std::uint64_t rows = 0;           // rows members only
  std::string sha256;               // of the stored bytes
  std::optional<ConfigFile> config; // config members only; raw_size is the file's size
};

// One id block of a raw table copy (docs/format.md, "Id blocks"): the rows whose id / id_block
// (rounded down) is the same number, stored in members of their own.
struct RawIdBlock {
  std::int64_t first_id = 0; // the block's smallest row id
  std::int64_t last_id = 0;  // and its largest: both in the same block
  std::uint64_t members = 0; // its rows members: the table's next ones in member order
  bool dirty = false;        // a row of it belonged to a message unsettled in the copy's snapshot
  bool operator==(const RawIdBlock&) const = default;
};

// create --incremental: how a past raw table stood when this copy of it was read, so a later
// backup may reference the copy, or blocks of it, instead of reading the table again
// (docs/format.md, "Repositories"). The fingerprint is what the server answers from indexes
// alone; the checksum (CHECKSUM TABLE) is what --verify-reused compares.
struct RawTableProof {
  bool settled = false;                // no message in the table could still be processed by Postal
  std::string max_id;                  // MAX(id) ("" when empty)
  std::uint64_t messages = 0;          // messages rows pointing at the table
  std::string recorded_size;           // raw_message_sizes.size ("" when none)
  std::optional<std::string> checksum; // CHECKSUM TABLE, read when settled and read whole
  // Ids per block, 0 when the copy records no blocks (older manifests, or rows that did not
  // come in id order); then `blocks` is empty.
  std::int64_t id_block = 0;
  std::vector<RawIdBlock> blocks; // ascending, covering every rows member of the table
  bool operator==(const RawTableProof&) const = default;
};

// The block of `id`: id / id_block rounded down (negative ids too); id_block >= 1.
[[nodiscard]] std::int64_t id_block_number(std::int64_t id, std::int64_t id_block);

// What a manifest's proof may claim of its blocks (parse_manifest refuses anything else with
// an IntegrityError): id_block from 1 to 2^31; blocks in strictly ascending block order, each
// with first_id <= last_id in one block and at least one member, their members adding up to
// the table's `chunks`. Throws std::invalid_argument naming the fault.
void check_id_blocks(const RawTableProof& proof, std::size_t chunks);

// What happened to a table listed in backup.json.
enum class TableOutcome { complete, dropped_during_backup, created_after_snapshot };

struct TableRecord {
  std::string database;
  std::string table;
  TableOutcome outcome = TableOutcome::complete;
  bool in_snapshot = true; // false: an immutable past raw table read after the snapshot
  std::uint64_t rows = 0;
  std::uint64_t raw_size = 0;
  std::uint64_t max_row_size = 0; // largest row's value bytes (restore preflight)
  std::size_t chunks = 0;
  std::optional<RawTableProof> proof; // incremental backups' past raw tables
  // SHA-256 over the table's rows exactly as its rows members hold them after zstd -d, in
  // member order: what a drill compares the loaded table with. Absent in archives written
  // before it was recorded, and for a table that is not complete.
  std::optional<std::string> content_sha256;
};

// manifest.json "signature": Ed25519 over the authenticated text (manifest_json.hpp).
struct ManifestSignature {
  std::string algorithm = "Ed25519";
  std::string public_key; // hex, 32 raw bytes
  std::string signature;  // hex, 64 bytes
};

struct Manifest {
  int format_version = k_format_version;
  std::string finished_at;
  std::vector<MemberRecord> members; // in archive order, backup.json first
  std::vector<TableRecord> tables;
  std::optional<std::string> manifest_hmac;   // encrypted archives: HMAC under the archive key
  std::optional<ManifestSignature> signature; // create --sign-key
  std::string manifest_sha256;                // see manifest_json.hpp
};

// Each entry of backup.json's databases is restored into its own live database: at most one
// main database, every message database with its own server id, no name twice. Otherwise two
// entries would be merged into one live database; throws IntegrityError naming the duplicate.
void check_distinct_databases(const std::vector<DatabaseInfo>& databases);

[[nodiscard]] const char* to_string(DatabaseRole role);
[[nodiscard]] const char* to_string(VersionSource source);
[[nodiscard]] const char* to_string(MemberKind kind);
[[nodiscard]] const char* to_string(TableOutcome outcome);

} // namespace pbk::archive
