// SPDX-License-Identifier: MIT
#include "archive/archive_authenticity.hpp"
#include "archive/archive_info.hpp"
#include "archive/manifest_json.hpp"
#include "archive/manifest_signature.hpp"
#include "archive/member_opener.hpp"

#include "cli/commands/commands.hpp"
#include "cli/key_args.hpp"
#include "core/version_order.hpp"
#include "restore/preflight.hpp"

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;
using TableKey = std::pair<std::string, std::string>;

std::map<TableKey, const archive::TableRecord*>
table_records(const archive::ArchiveContents& contents) {
  std::map<TableKey, const archive::TableRecord*> records;
  if (contents.manifest) {
    for (const auto& table : contents.manifest->tables) {
      records[{table.database, table.table}] = &table;
    }
  }
  return records;
}

Json database_json(const archive::DatabaseInfo& database,
                   const std::map<TableKey, const archive::TableRecord*>& records) {
  Json j;
  j["name"] = database.name;
  j["role"] = archive::to_string(database.role);
  j["schema_hash"] = database.schema_hash;
  j["server_index"] = database.server_index;
  if (database.role == archive::DatabaseRole::message) {
    j["migration_level"] =
        core::message_migration_number(database.schema_level, "database " + database.name);
    j["server_id"] = database.server_id ? Json(*database.server_id) : Json(nullptr);
  }
  j["migrations"] = database.migrations;
  j["tables"] = Json::array();
  for (const auto& name : database.tables) {
    Json table = {{"name", name}};
    const auto found = records.find({database.name, name});
    if (found != records.end()) {
      table["rows"] = found->second->rows;
      table["raw_size"] = found->second->raw_size;
      table["outcome"] = archive::to_string(found->second->outcome);
    } else {
      table["rows"] = nullptr;
    }
    j["tables"].push_back(table);
  }
  return j;
}

std::string octal_mode(std::uint32_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
  return text;
}

// The config files the manifest lists (none when the archive is incomplete: backup.json
// only says how many there are).
std::vector<const archive::MemberRecord*> config_members(const archive::ArchiveContents& contents) {
  std::vector<const archive::MemberRecord*> members;
  if (contents.manifest) {
    for (const auto& member : contents.manifest->members) {
      if (member.kind == archive::MemberKind::config && member.config) {
        members.push_back(&member);
      }
    }
  }
  return members;
}

// The settings a restore's preflight holds the target server to, from the manifest's largest
// row and row data; none for an incomplete archive (no manifest).
std::optional<restore::ServerNeeds> server_needs(const archive::ArchiveContents& contents,
                                                 std::uint64_t& largest_row) {
  if (!contents.manifest) {
    return std::nullopt;
  }
  std::uint64_t raw_bytes = 0;
  for (const auto& table : contents.manifest->tables) {
    largest_row = std::max(largest_row, table.max_row_size);
    raw_bytes += table.raw_size;
  }
  return restore::server_needs(largest_row, raw_bytes);
}

Json server_needs_json(const archive::ArchiveContents& contents) {
  std::uint64_t largest_row = 0;
  const auto needs = server_needs(contents, largest_row);
  if (!needs) {
    return nullptr;
  }
  return {{"largest_row", largest_row},
          {"max_allowed_packet", needs->max_allowed_packet},
          {"redo_log", needs->redo_log},
          {"free_space", needs->free_space}};
}

void print_server_needs(const archive::ArchiveContents& contents) {
  std::uint64_t largest_row = 0;
  const auto needs = server_needs(contents, largest_row);
  if (!needs) {
    return;
  }
  std::cout << "restore needs:  max_allowed_packet >= " << needs->max_allowed_packet_setting
            << ", InnoDB redo log >= " << needs->redo_log_setting << ", "
            << human_bytes(needs->free_space) << " free in the data directory (largest row "
            << human_bytes(largest_row) << ")\n";
}

struct InspectArgs {
  std::string archive;
  KeyArgs key;
  PublicKeyArgs public_key;
};

std::optional<std::string> signer(const archive::ArchiveContents& contents) {
  if (!contents.manifest || !contents.manifest->signature) {
    return std::nullopt;
  }
  return archive::signer_fingerprint(*contents.manifest->signature);
}

Json inspect_json(const archive::ArchiveContents& contents, bool key_checked) {
  const auto& info = contents.info;
  Json j = archive::to_json(info);
  j["complete"] = contents.manifest.has_value();
  j["finished_at"] = contents.manifest ? Json(contents.manifest->finished_at) : Json(nullptr);
  j["encrypted"] = info.encryption.has_value();
  j["key_checked"] = key_checked;
  const auto signed_by = signer(contents);
  j["signed_by"] = signed_by ? Json(*signed_by) : Json(nullptr);
  const auto records = table_records(contents);
  j["databases"] = Json::array();
  for (const auto& database : info.databases) {
    j["databases"].push_back(database_json(database, records));
  }
  j["server_needs"] = server_needs_json(contents);
  j["config_files"] = Json::array();
  for (const auto* member : config_members(contents)) {
    j["config_files"].push_back({{"file", member->config->name},
                                 {"mode", octal_mode(member->config->mode)},
                                 {"size", member->raw_size},
                                 {"mtime", member->config->mtime},
                                 {"sha256", member->config->sha256}});
  }
  return j;
}

void print_protection(const archive::ArchiveContents& contents,
                      bool key_checked,
                      bool signature_checked) {
  const auto& encryption = contents.info.encryption;
  if (encryption) {
    std::cout << "encrypted:      " << encryption->cipher << ", key from " << encryption->kdf
              << (key_checked ? "; the key given opens it"
                              : "; row data needs --key-file or --passphrase-file")
              << "\n";
  } else {
    std::cout << "encrypted:      no\n";
  }
  if (const auto signed_by = signer(contents)) {
    std::cout << "signed:         by " << *signed_by
              << (signature_checked ? ", signature valid for --public-key\n"
                                    : " (check: verify --public-key)\n");
  }
}

void print_human(const archive::ArchiveContents& contents) {
  const auto& info = contents.info;
  const auto records = table_records(contents);
  std::cout << "created:        " << info.created_at << (info.tag ? "  tag " + *info.tag : "")
            << "\npostal:         " << info.postal.version.value_or("unknown") << " (from "
            << archive::to_string(info.postal.version_source)
            << (info.postal.release_range ? "; levels of " + *info.postal.release_range : "") << ")"
            << "\nmain level:     " << info.postal.main_schema_level << " ("
            << counted(info.postal.main_migrations.size(), "migration") << ")"
            << "\ncomplete:       " << (contents.manifest ? "yes" : "NO: no manifest.json") << "\n";
  for (const auto& server : info.servers) {
    std::cout << "server:         " << server.endpoint << ", " << server.server_version << "\n";
  }
  for (const auto& database : info.databases) {
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
    for (const auto& table : database.tables) {
      if (const auto found = records.find({database.name, table}); found != records.end()) {
        rows += found->second->rows;
        bytes += found->second->raw_size;
      }
    }
    std::cout << "database:       " << database.name << " (" << archive::to_string(database.role)
              << ", level " << database.schema_level << ", " << database.tables.size()
              << " tables, " << rows << " rows, " << human_bytes(bytes) << ")\n";
  }
  if (info.config) {
    std::cout << "config:         " << info.config->files << " files from "
              << info.config->directory << "\n";
  }
  for (const auto* member : config_members(contents)) {
    std::cout << "config file:    " << member->config->name << " ("
              << octal_mode(member->config->mode) << ", " << human_bytes(member->raw_size) << ")\n";
  }
}

// With a public key, nothing is shown before the manifest is authenticated (exit 4 when its
// signature does not hold): what inspect prints is then what the key's holder wrote.
archive::ArchiveContents read_contents(const InspectArgs& args,
                                       const std::optional<core::crypto::SecretBytes>& secret,
                                       bool& signature_checked) {
  if (const auto key = archive::load_public_key(args.public_key.path())) {
    archive::ArchiveScanner scanner(args.archive);
    auto authentic = archive::read_authentic(scanner, secret, archive::KeyUse::optional, key);
    signature_checked = true;
    return {std::move(authentic.info), std::move(authentic.manifest), {}, authentic.members};
  }
  auto contents = archive::read_archive_info(args.archive);
  // With a key, say whether it is this archive's (exit 4 when not): checked before restoring.
  (void)archive::MemberOpener::for_archive(contents.info, secret, archive::KeyUse::optional);
  return contents;
}

void run_inspect(const InspectArgs& args, CommandContext& context) {
  const auto secret = args.key.load();
  bool signature_checked = false;
  const auto contents = read_contents(args, secret, signature_checked);
  const bool key_checked = secret.has_value();
  if (context.mode.json) {
    auto document = inspect_json(contents, key_checked);
    document["signature_checked"] = signature_checked;
    print_json(document);
  } else if (!context.mode.quiet) {
    const HumanText escaped(std::cout);
    print_human(contents);
    print_server_needs(contents);
    print_protection(contents, key_checked, signature_checked);
  }
}

} // namespace

void add_inspect_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<InspectArgs>();
  auto* command = app.add_subcommand("inspect", "Show what an archive holds (no checksums)");
  command->add_option("archive", args->archive, "archive file, or - for standard input")
      ->required();
  args->key.add_to(*command);
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM) the archive must be signed by (reads the "
                          "whole archive)");
  command->callback([args, &context] { run_inspect(*args, context); });
}

void print_json(const nlohmann::ordered_json& document) {
  // Messages about damaged archives can quote bytes that are not UTF-8; JSON must still come
  // out (as U+FFFD) rather than an exception inside the error report. ASCII only: DEL and
  // the C1 controls, which JSON allows raw, are escaped like every other control character.
  std::cout << document.dump(2, ' ', true, nlohmann::ordered_json::error_handler_t::replace)
            << std::endl;
}

} // namespace pbk::cli
