// SPDX-License-Identifier: MIT
#include "postal/plan.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_info.hpp"
#include "archive/member_opener.hpp"
#include "postal/target_release.hpp"

#include "cli/commands/commands.hpp"
#include "cli/connection_args.hpp"
#include "cli/key_args.hpp"
#include "core/error.hpp"

#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

struct PlanArgs {
  std::string archive;
  std::string target_version;
  std::string postal_app;
  std::string catalog;
  ConnectionArgs connection;
  KeyArgs key;
  PublicKeyArgs public_key;
};

postal::MigrationTarget resolve_target(const PlanArgs& args,
                                       const postal::ReleaseCatalog& catalog) {
  const int named = int{!args.target_version.empty()} + int{!args.postal_app.empty()}
                    + int{args.connection.given()};
  if (named == 0) {
    throw postal::no_target_error();
  }
  if (named > 1) {
    throw core::Error(core::ExitCode::usage,
                      "name the target once: --target-version V, --postal-app DIR, or "
                      "connection options of the target server");
  }
  if (!args.target_version.empty()) {
    return postal::target_from_version(catalog, args.target_version);
  }
  if (!args.postal_app.empty()) {
    return postal::target_from_postal_app(catalog, args.postal_app);
  }
  const auto resolved = args.connection.resolve();
  auto connection = core::db::Connection::connect(resolved.main);
  return postal::target_from_server(catalog, connection, resolved.main_db);
}

Json optional_text(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json(nullptr);
}

std::string message_level(const std::vector<int>& migrations) {
  return migrations.empty() ? "0" : std::to_string(migrations.back());
}

Json plan_json(const archive::BackupInfo& backup,
               const postal::MigrationTarget& target,
               const postal::ReleaseCatalog& catalog,
               const postal::Plan& plan) {
  Json j;
  j["verdict"] = postal::to_string(plan.verdict);
  Json message_levels = Json::object();
  for (const auto& database : backup.databases) {
    if (database.role == archive::DatabaseRole::message) {
      message_levels[database.name] = database.schema_level;
    }
  }
  j["backup"] = {{"version", optional_text(backup.postal.version)},
                 {"version_source", archive::to_string(backup.postal.version_source)},
                 {"release_range", optional_text(backup.postal.release_range)},
                 {"main_schema_level", backup.postal.main_schema_level},
                 {"message_db_schema_levels", message_levels}};
  j["target"] = {{"version", target.version.empty() ? Json(nullptr) : Json(target.version)},
                 {"release_range",
                  optional_text(catalog.release_range(
                      target.main_schema_level, message_level(target.message_db_migrations)))},
                 {"main_schema_level", target.main_schema_level},
                 {"message_db_schema_level", message_level(target.message_db_migrations)},
                 {"source", target.source}};
  Json missing = Json::array();
  Json names = Json::object();
  for (const auto& migration : plan.main_missing) {
    missing.push_back(migration.version);
    names[migration.version] = migration.name;
  }
  j["main_migrations_missing"] = missing;
  j["main_migration_names"] = names;
  j["message_db_migrations_missing"] = Json::object();
  for (const auto& [database, numbers] : plan.message_missing) {
    j["message_db_migrations_missing"][database] = numbers;
  }
  j["reason"] = plan.verdict == postal::Verdict::refused ? Json(plan.reason) : Json(nullptr);
  j["commands"] = plan.commands;
  j["warnings"] = plan.warnings;
  return j;
}

void print_human(const archive::BackupInfo& backup,
                 const postal::MigrationTarget& target,
                 const postal::Plan& plan) {
  const auto& postal = backup.postal;
  std::cout << "backup:   Postal " << postal.version.value_or("unknown");
  if (postal.release_range) {
    std::cout << " (levels of " << *postal.release_range << ")";
  }
  std::cout << ", main level " << postal.main_schema_level << "\ntarget:   Postal "
            << (target.version.empty() ? "unknown" : target.version) << ", main level "
            << target.main_schema_level << ", message level "
            << message_level(target.message_db_migrations) << " (from " << target.source
            << ")\nverdict:  " << postal::to_string(plan.verdict) << "\n";
  if (plan.verdict == postal::Verdict::refused) {
    std::cout << "reason:   " << plan.reason << "\n";
  }
  if (!plan.main_missing.empty()) {
    std::cout << "main migrations the backup lacks:\n";
    for (const auto& migration : plan.main_missing) {
      std::cout << "  " << migration.version << " " << migration.name << "\n";
    }
  }
  if (!plan.message_missing.empty()) {
    std::cout << "message-DB migrations the backup lacks:\n";
    for (const auto& [database, numbers] : plan.message_missing) {
      std::cout << "  " << database << ":";
      for (std::size_t i = 0; i < numbers.size(); ++i) {
        std::cout << (i == 0 ? " " : ", ") << numbers[i];
      }
      std::cout << "\n";
    }
  }
  if (!plan.commands.empty()) {
    std::cout << "after restoring, run with the target release:\n";
    for (const auto& command : plan.commands) {
      std::cout << "  " << command << "\n";
    }
  }
}

// backup.json is plain, so a plan needs no key; one given is checked (exit 4 if wrong). With a
// public key the whole archive is read and its manifest authenticated first, so a plan never
// speaks for a forged backup.json.
archive::BackupInfo read_plan_input(const std::string& archive,
                                    const std::optional<core::crypto::SecretBytes>& secret,
                                    const std::optional<std::filesystem::path>& public_key) {
  if (const auto key = archive::load_public_key(public_key)) {
    archive::ArchiveScanner scanner(archive);
    return archive::read_authentic(scanner, secret, archive::KeyUse::optional, key).info;
  }
  auto backup = archive::read_backup_info(archive);
  (void)archive::MemberOpener::for_archive(backup, secret, archive::KeyUse::optional);
  return backup;
}

void run_plan(const PlanArgs& args, CommandContext& context) {
  const auto catalog = load_catalog(args.catalog);
  const auto target = resolve_target(args, catalog);
  const auto secret = args.key.load();
  const auto backup = read_plan_input(args.archive, secret, args.public_key.path());
  const auto plan = postal::make_plan(backup, target, catalog);
  if (context.mode.json) {
    print_json(plan_json(backup, target, catalog, plan));
  } else {
    const HumanText escaped_out(std::cout);
    const HumanText escaped_err(std::cerr);
    if (!context.mode.quiet) {
      print_human(backup, target, plan);
    } else if (plan.verdict == postal::Verdict::refused) {
      std::cerr << "postal-backup: refused: " << plan.reason << "\n";
    } else if (plan.verdict == postal::Verdict::migrations_required) {
      std::cerr << "postal-backup: migrations required after restoring: "
                << plan.main_missing.size() << " of the main database, "
                << plan.message_missing.size() << " message databases lacking some\n";
    }
    for (const auto& warning : context.mode.quiet ? std::vector<std::string>{} : plan.warnings) {
      std::cerr << "warning: " << warning << "\n";
    }
  }
  context.exit_code = postal::exit_code(plan.verdict);
}

} // namespace

void add_plan_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<PlanArgs>();
  auto* command = app.add_subcommand(
      "plan", "What restoring an archive into a target Postal release requires (exit 0/3/5)");
  command->add_option("archive", args->archive, "archive file, or - for standard input")
      ->required();
  command->add_option("--target-version", args->target_version, "the target Postal release");
  command->add_option("--postal-app", args->postal_app, "the target's Postal app directory");
  command->add_option("--catalog", args->catalog, "JSON file adding or overriding releases");
  args->connection.add_to(*command);
  args->key.add_to(*command);
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM) the archive must be signed by (reads the "
                          "whole archive)");
  command->callback([args, &context] { run_plan(*args, context); });
}

} // namespace pbk::cli
