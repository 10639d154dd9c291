// SPDX-License-Identifier: MIT
#include "postal/plan.hpp"

#include "archive/archive_authenticity.hpp"
#include "archive/archive_info.hpp"
#include "archive/member_opener.hpp"
#include "postal/target_release.hpp"

#include "cli/commands/add_raw_report.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/plan_report.hpp"
#include "cli/connection_args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/key_args.hpp"
#include "cli/raw_args.hpp"
#include "core/error.hpp"
#include "restore/add_raw_job.hpp"
#include "restore/restore_job.hpp"

#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

struct PlanArgs {
  std::string archive;
  std::string target_version;
  std::string postal_app;
  std::string catalog;
  ConnectionArgs connection;
  RawArgs raw;
  bool add_raw = false;
  KeyArgs key;
  PublicKeyArgs public_key;
};

postal::MigrationTarget named_target(const PlanArgs& args, const postal::ReleaseCatalog& catalog) {
  if (!args.target_version.empty()) {
    return postal::target_from_version(catalog, args.target_version);
  }
  if (!args.postal_app.empty()) {
    return postal::target_from_postal_app(catalog, args.postal_app);
  }
  throw postal::no_target_error();
}

// With a target server, a plan is the restore's own dry run: the same target rule (a server
// without Postal's main database is restored at the backup's own release), preflight and
// refusals, so plan and restore never disagree.
restore::RestoreOptions dry_run_options(const PlanArgs& args, postal::ReleaseCatalog catalog) {
  restore::RestoreOptions options;
  options.dry_run = true;
  options.archive = args.archive;
  const auto resolved = args.connection.resolve();
  options.connection = resolved.main;
  options.main_db = resolved.main_db;
  options.message_db_prefix = resolved.message_db_prefix;
  if (!args.target_version.empty() || !args.postal_app.empty()) {
    options.target = named_target(args, catalog);
  }
  options.catalog = std::move(catalog);
  options.raw = args.raw.selection();
  options.tool_version = PBK_VERSION;
  options.secret = args.key.load();
  options.public_key = args.public_key.path();
  return options;
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

// `plan --add-raw` with a target server is `restore --add-raw --dry-run`.
void run_add_raw_plan(const PlanArgs& args,
                      postal::ReleaseCatalog catalog,
                      CommandContext& context) {
  if (!args.connection.given() || !args.target_version.empty() || !args.postal_app.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "plan --add-raw brings raw tables back into a running install: give its "
                      "connection options, and no --target-version or --postal-app");
  }
  const auto restore = dry_run_options(args, std::move(catalog));
  restore::AddRawOptions options;
  options.dry_run = true;
  options.archive = restore.archive;
  options.connection = restore.connection;
  options.main_db = restore.main_db;
  options.message_db_prefix = restore.message_db_prefix;
  options.raw = restore.raw;
  options.catalog = restore.catalog;
  options.tool_version = restore.tool_version;
  options.secret = restore.secret;
  options.public_key = restore.public_key;
  TerminalReporter reporter(context.mode);
  const auto outcome = restore::run_add_raw(options, reporter);
  reporter.clear_progress();
  present_add_raw(outcome, reporter, context);
}

void run_plan(const PlanArgs& args, CommandContext& context) {
  if (args.add_raw) {
    run_add_raw_plan(args, load_catalog(args.catalog), context);
    return;
  }
  if (!args.target_version.empty() && !args.postal_app.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "name the target once: --target-version V or --postal-app DIR");
  }
  auto catalog = load_catalog(args.catalog);
  if (args.connection.given()) {
    run_restore_dry_run(
        dry_run_options(args, std::move(catalog)), NextSteps(args.connection), context);
    return;
  }
  if (args.raw.given()) {
    (void)args.raw.selection(); // a bad value is named first
    throw core::Error(core::ExitCode::usage,
                      "--without-raw, --raw-since and --raw-days need the target server: give "
                      "its connection options (the plan is then the restore's dry run)");
  }
  const auto target = named_target(args, catalog);
  const auto secret = args.key.load();
  const auto backup = read_plan_input(args.archive, secret, args.public_key.path());
  const auto plan = postal::make_plan(backup, target, catalog);
  const auto& message = target.message_db_migrations;
  present_plan({backup,
                target,
                catalog.release_range(target.main_schema_level,
                                      message.empty() ? "0" : std::to_string(message.back())),
                plan,
                plan.commands},
               context);
}

} // namespace

void add_plan_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<PlanArgs>();
  auto* command = app.add_subcommand(
      "plan",
      "What restoring an archive into a target Postal release requires; with a target server, "
      "restore --dry-run (exit 0/3/5)");
  command->add_option("archive", args->archive, "archive file, or - for standard input")
      ->required();
  command->add_option("--target-version", args->target_version, "the target Postal release");
  command->add_option("--postal-app", args->postal_app, "the target's Postal app directory");
  command->add_option("--catalog", args->catalog, "JSON file adding or overriding releases");
  args->connection.add_to(*command);
  args->raw.add_to(*command);
  command->add_flag("--add-raw",
                    args->add_raw,
                    "with a target server: what `restore --add-raw` would bring back and its "
                    "bytes");
  args->key.add_to(*command);
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM) the archive must be signed by (reads the "
                          "whole archive)");
  command->callback([args, &context] { run_plan(*args, context); });
}

} // namespace pbk::cli
