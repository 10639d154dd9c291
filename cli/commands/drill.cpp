// SPDX-License-Identifier: MIT
// `drill ARCHIVE|DIR`: options → restore::DrillOptions (a directory's newest backup that passes
// a full verify, chosen as prune chooses its newest intact one), then the verdict in words or
// JSON: exit 0 when the archive restores into a healthy install, 4 naming what does not.
#include "postal/plan.hpp"
#include "postal/target_release.hpp"
#include "repository/prune_job.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/retention_args.hpp"
#include "cli/connection_args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/key_args.hpp"
#include "cli/load_args.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"
#include "restore/drill_job.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

struct DrillArgs {
  std::string archive;
  ConnectionArgs connection;
  std::string catalog;
  LoadArgs load;
  KeyArgs key;
  PublicKeyArgs public_key;
  std::string target_version;
  std::string migrate_with;
};

// A directory: its newest backup that passes a full verify.
std::string chosen_archive(const DrillArgs& args, core::Reporter& reporter) {
  std::error_code error;
  if (!std::filesystem::is_directory(args.archive, error)) {
    return args.archive;
  }
  const auto public_key = args.public_key.path();
  const auto newest = repository::newest_verified_backup(
      args.archive, full_verify(public_key), public_key, reporter);
  if (!newest) {
    throw core::IntegrityError(
        "no backup in " + args.archive
            + " passed verify: there is "
              "nothing to drill",
        {"`postal-backup list --verify " + args.archive + "` shows each backup's state"});
  }
  reporter.info("drilling " + newest->string() + ", the newest backup that passed verify");
  return newest->string();
}

restore::DrillOptions drill_options(const DrillArgs& args, const std::string& archive) {
  if (!args.migrate_with.empty() && args.target_version.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "--migrate-with needs --target-version: the release it migrates to",
                      {"add --target-version V, the Postal release the command installs"});
  }
  restore::DrillOptions options;
  options.archive = archive;
  const auto resolved = args.connection.resolve();
  options.connection = resolved.main;
  options.main_db = resolved.main_db;
  options.message_db_prefix = resolved.message_db_prefix;
  options.catalog = load_catalog(args.catalog);
  if (!args.target_version.empty()) {
    options.target = postal::target_from_version(options.catalog, args.target_version);
  }
  options.migrate_with = args.migrate_with;
  options.workers = args.load.workers();
  options.load_method = args.load.method();
  options.secret = args.key.load();
  options.public_key = args.public_key.path();
  return options;
}

nlohmann::ordered_json upgrade_json(const restore::DrillOutcome& outcome) {
  if (!outcome.upgrade) {
    return nullptr;
  }
  const auto& upgrade = *outcome.upgrade;
  return {{"target_version", upgrade.target_version},
          {"verdict", postal::to_string(upgrade.verdict)},
          {"rehearsed", upgrade.rehearsed},
          {"command_exit",
           upgrade.command_exit ? nlohmann::ordered_json(*upgrade.command_exit) : nullptr},
          {"gate_holds", upgrade.gate_holds},
          {"missing", upgrade.missing}};
}

// The rehearsal of a version jump, after the archive's own checks.
void print_upgrade(const restore::DrillOutcome& outcome) {
  if (!outcome.upgrade || !outcome.upgrade->rehearsed) {
    return;
  }
  const auto& upgrade = *outcome.upgrade;
  if (upgrade.gate_holds) {
    std::cout << "upgrade to " << upgrade.target_version << ": "
              << (upgrade.command_exit ? "migrated; " : "nothing to migrate; ")
              << "the restore gate would finish\n";
  } else if (!upgrade.command_exit && outcome.healthy()) {
    std::cout << "upgrade to " << upgrade.target_version
              << ": not rehearsed (no --migrate-with); a restore would await:\n";
    for (const auto& line : upgrade.missing) {
      std::cout << "  " << line << '\n';
    }
  }
}

nlohmann::ordered_json drill_json(const restore::DrillOutcome& outcome) {
  auto databases = nlohmann::ordered_json::array();
  for (const auto& database : outcome.databases) {
    databases.push_back({{"name", database.name},
                         {"scratch", database.scratch},
                         {"role", archive::to_string(database.role)},
                         {"recorded_level", database.recorded_level},
                         {"tables", database.tables}});
  }
  return {{"ok", outcome.healthy()},
          {"healthy", outcome.healthy()},
          {"id", outcome.id},
          {"archive", outcome.archive},
          {"databases", databases},
          {"failures", outcome.failures},
          {"warnings", outcome.warnings},
          {"removed_leftovers", outcome.removed_leftovers},
          {"load_method", outcome.load_method},
          {"upgrade", upgrade_json(outcome)},
          {"tables_checksum_matched", outcome.tables_checksum_matched},
          {"tables_counted_only", outcome.tables_counted_only},
          {"rows", outcome.rows},
          {"bytes_raw", outcome.raw_bytes},
          {"bytes_stored", outcome.stored_bytes},
          {"seconds", outcome.seconds}};
}

void print_drill(const restore::DrillOutcome& outcome) {
  const HumanText escaped(std::cout);
  for (const auto& database : outcome.databases) {
    std::cout << database.name << " (" << archive::to_string(database.role) << "): level "
              << database.recorded_level << ", " << counted(database.tables, "table")
              << " restored into " << database.scratch << '\n';
  }
  std::cout << counted(outcome.tables_checksum_matched, "table")
            << " matched the archive's content checksums";
  if (outcome.tables_counted_only > 0) {
    std::cout << ", " << counted(outcome.tables_counted_only, "table")
              << " had none recorded and were checked by row count only";
  }
  std::cout << '\n';
  print_upgrade(outcome);
  for (const auto& failure : outcome.failures) {
    std::cout << "  failed: " << failure << '\n';
  }
  std::cout << (outcome.migrations_pending() ? "healthy, migrations pending"
                : outcome.healthy()          ? "healthy"
                                             : "NOT healthy")
            << ": " << outcome.archive << ": " << counted(outcome.rows, "row") << ", "
            << human_bytes(outcome.raw_bytes) << " restored and checked in "
            << static_cast<long>(outcome.seconds + 0.5) << " s; scratch databases dropped\n";
}

void run_drill_command(const DrillArgs& args, CommandContext& context) {
  context.metrics.check_writable();
  TerminalReporter reporter(context.mode);
  const auto archive = chosen_archive(args, reporter);
  const auto options = drill_options(args, archive);
  const auto outcome = restore::run_drill(options, reporter);
  reporter.clear_progress();
  context.metrics.record({outcome.rows, outcome.stored_bytes, outcome.raw_bytes, {}, {}});
  context.metrics.record_result("drill " + outcome.id + " of " + archive);
  for (const auto& removed : outcome.removed_leftovers) {
    reporter.warn("dropped " + removed + ", left by a drill that was killed");
  }
  for (const auto& warning : outcome.warnings) {
    reporter.warn(warning);
  }
  context.exit_code = drill_exit_code(outcome.healthy(), outcome.migrations_pending());
  if (context.mode.json) {
    print_json(drill_json(outcome));
  } else if (!context.mode.quiet) {
    print_drill(outcome);
  } else if (!outcome.healthy()) {
    std::cerr << "postal-backup: drill: " << archive << " does not restore to a healthy install: "
              << core::printable(outcome.failures.front(), core::LineBreaks::escape)
              << (outcome.failures.size() > 1
                      ? " (and " + std::to_string(outcome.failures.size() - 1) + " more)"
                      : std::string())
              << '\n';
  } else if (outcome.migrations_pending()) {
    std::cerr << "postal-backup: drill: " << archive << " restores, but the jump to "
              << outcome.upgrade->target_version << " leaves "
              << counted(outcome.upgrade->missing.size(), "finding")
              << " for its migrations (not rehearsed: no --migrate-with)\n";
  }
}

} // namespace

void add_drill_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<DrillArgs>();
  auto* command = app.add_subcommand(
      "drill",
      "Restore an archive into scratch databases, check it as Postal would, drop them (exit 0/4)");
  command
      ->add_option("archive",
                   args->archive,
                   "archive file, or a backup directory (its newest backup that passes verify)")
      ->required();
  args->connection.add_to(*command);
  command->add_option("--catalog", args->catalog, "JSON file adding or overriding releases");
  args->key.add_to(*command);
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM) the archive must be signed by; in a "
                          "directory, only backups signed by it are drilled");
  command->add_option("--target-version",
                      args->target_version,
                      "also rehearse the jump to this Postal release in the scratch databases");
  command->add_option("--migrate-with",
                      args->migrate_with,
                      "command that migrates the scratch databases (named in its environment)");
  args->load.add_to(*command);
  context.metrics.add_option(*command);
  command->callback([args, &context] { run_drill_command(*args, context); });
}

} // namespace pbk::cli
