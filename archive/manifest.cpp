// SPDX-License-Identifier: MIT
#include "archive/manifest.hpp"

#include "core/error.hpp"
#include "core/printable.hpp"

#include <optional>
#include <set>
#include <stdexcept>

namespace pbk::archive {
namespace {

[[noreturn]] void refuse_duplicate(const std::string& what) {
  throw core::IntegrityError(std::string(k_backup_member) + " lists " + what
                                 + ": two entries would be restored into one database",
                             {"the archive is damaged or was not written by postal-backup"});
}

} // namespace

std::int64_t id_block_number(std::int64_t id, std::int64_t id_block) {
  const std::int64_t block = id / id_block;
  return id % id_block < 0 ? block - 1 : block;
}

void check_id_blocks(const RawTableProof& proof, std::size_t chunks) {
  if (proof.id_block == 0) {
    if (!proof.blocks.empty()) {
      throw std::invalid_argument("a proof lists id blocks without id_block");
    }
    return;
  }
  if (proof.id_block < 1 || proof.id_block > (std::int64_t{1} << 31)) {
    throw std::invalid_argument("id_block " + std::to_string(proof.id_block)
                                + " is not from 1 to 2147483648");
  }
  if (proof.blocks.size() > chunks) {
    throw std::invalid_argument("a proof lists more id blocks than the table has members");
  }
  std::uint64_t members = 0;
  std::optional<std::int64_t> previous;
  for (const auto& block : proof.blocks) {
    const auto number = id_block_number(block.first_id, proof.id_block);
    if (block.first_id > block.last_id || number != id_block_number(block.last_id, proof.id_block)
        || block.members == 0) {
      throw std::invalid_argument("id block " + std::to_string(block.first_id) + "–"
                                  + std::to_string(block.last_id) + " is not one block of "
                                  + std::to_string(proof.id_block) + " ids with members");
    }
    if (previous && number <= *previous) {
      throw std::invalid_argument("id blocks are not in ascending order without overlap");
    }
    previous = number;
    if (block.members > chunks - members) {
      throw std::invalid_argument("id blocks hold more members than the table's "
                                  + std::to_string(chunks));
    }
    members += block.members;
  }
  if (members != chunks) {
    throw std::invalid_argument("id blocks hold " + std::to_string(members) + " members, the table "
                                + std::to_string(chunks));
  }
}

void check_distinct_databases(const std::vector<DatabaseInfo>& databases) {
  std::set<std::string> names;
  std::set<int> server_ids;
  bool main_seen = false;
  for (const auto& database : databases) {
    const auto name = "database " + core::printable(database.name);
    if (!names.insert(database.name).second) {
      refuse_duplicate(name + " twice");
    }
    if (database.role == DatabaseRole::main) {
      if (main_seen) {
        refuse_duplicate("a second main database (" + name + ")");
      }
      main_seen = true;
    } else if (!database.server_id) {
      throw core::IntegrityError(std::string(k_backup_member) + ": message " + name
                                     + " has no server_id",
                                 {"the archive is damaged or was not written by postal-backup"});
    } else if (!server_ids.insert(*database.server_id).second) {
      refuse_duplicate("server id " + std::to_string(*database.server_id) + " twice (" + name
                       + ")");
    }
  }
}

const char* to_string(DatabaseRole role) {
  return role == DatabaseRole::main ? "main" : "message";
}

const char* to_string(VersionSource source) {
  switch (source) {
  case VersionSource::flag:
    return "flag";
  case VersionSource::postal_app:
    return "postal_app";
  case VersionSource::postal_compose:
    return "postal_compose";
  case VersionSource::schema_level:
    return "schema_level";
  }
  return "schema_level";
}

const char* to_string(MemberKind kind) {
  switch (kind) {
  case MemberKind::backup_info:
    return "backup_info";
  case MemberKind::schema:
    return "schema";
  case MemberKind::rows:
    return "rows";
  case MemberKind::config:
    return "config";
  }
  return "rows";
}

const char* to_string(TableOutcome outcome) {
  switch (outcome) {
  case TableOutcome::complete:
    return "complete";
  case TableOutcome::dropped_during_backup:
    return "dropped_during_backup";
  case TableOutcome::created_after_snapshot:
    return "created_after_snapshot";
  }
  return "complete";
}

} // namespace pbk::archive
