// SPDX-License-Identifier: MIT
// `restore`: options → restore::RestoreOptions, then the outcome in words or JSON. The exit
// code is the restore's state: 0 finished, 3 awaiting migrations. --dry-run stops before the
// first write and says what the restore would do (cli/commands/plan_report).
#include "postal/target_release.hpp"

#include "cli/commands/add_raw_report.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/plan_report.hpp"
#include "cli/commands/restore_report.hpp"
#include "cli/connection_args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/key_args.hpp"
#include "cli/load_args.hpp"
#include "cli/raw_args.hpp"
#include "core/error.hpp"
#include "restore/add_raw_job.hpp"
#include "restore/restore_job.hpp"

#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

struct RestoreArgs {
  std::string archive;
  ConnectionArgs connection;
  std::string target_version;
  std::string postal_app;
  std::string catalog;
  std::vector<std::string> databases;
  RawArgs raw;
  bool add_raw = false;
  bool force = false;
  bool dry_run = false;
  bool keep_previous = false;
  std::string migrate_with;
  std::string schedule_migrations;
  unsigned lock_wait = 30;
  LoadArgs load;
  std::string config_dest;
  KeyArgs key;
  PublicKeyArgs public_key;
};

restore::RestoreOptions restore_options(const RestoreArgs& args) {
  if (!args.target_version.empty() && !args.postal_app.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "name the target once: --target-version V or --postal-app DIR");
  }
  if (!args.migrate_with.empty() && !args.schedule_migrations.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "--migrate-with runs the migrations now, --schedule-migrations at Postal's "
                      "next start: choose one");
  }
  restore::RestoreOptions options;
  options.archive = args.archive;
  const auto resolved = args.connection.resolve();
  options.connection = resolved.main;
  options.main_db = resolved.main_db;
  options.message_db_prefix = resolved.message_db_prefix;
  if (!resolved.message.same_server_as(resolved.main)) {
    throw core::Error(core::ExitCode::refused,
                      "the main and message databases are on different servers ("
                          + resolved.main.describe() + ", " + resolved.message.describe()
                          + "): a guarded restore swaps on one server",
                      {"restore the main database and the message databases separately with "
                       "--databases and --host/--socket of each server"});
  }
  options.catalog = load_catalog(args.catalog);
  if (!args.target_version.empty()) {
    options.target = postal::target_from_version(options.catalog, args.target_version);
  } else if (!args.postal_app.empty()) {
    options.target = postal::target_from_postal_app(options.catalog, args.postal_app);
  }
  options.only = args.databases;
  options.raw = args.raw.selection();
  options.force = args.force;
  options.dry_run = args.dry_run;
  options.keep_previous = args.keep_previous;
  options.migrate_with = args.migrate_with;
  options.schedule_migrations = args.schedule_migrations;
  options.lock_wait_seconds = args.lock_wait;
  options.workers = args.load.workers();
  options.load_method = args.load.method();
  options.tool_version = PBK_VERSION;
  options.config_destination = args.config_dest;
  options.secret = args.key.load();
  options.public_key = args.public_key.path();
  return options;
}

// --add-raw changes nothing but raw tables and their messages: options about the rest of a
// restore have no meaning with it.
void refuse_with_add_raw(const RestoreArgs& args) {
  const std::vector<std::pair<bool, const char*>> others{
      {args.force, "--force"},
      {args.keep_previous, "--keep-previous"},
      {!args.migrate_with.empty(), "--migrate-with"},
      {!args.schedule_migrations.empty(), "--schedule-migrations"},
      {!args.config_dest.empty(), "--config-dest"},
      {!args.target_version.empty(), "--target-version"},
      {!args.postal_app.empty(), "--postal-app"}};
  for (const auto& [given, name] : others) {
    if (given) {
      throw core::Error(core::ExitCode::usage,
                        std::string("--add-raw brings raw tables back into the running install "
                                    "and changes nothing else: drop ")
                            + name);
    }
  }
}

restore::AddRawOptions add_raw_options(const RestoreArgs& args) {
  refuse_with_add_raw(args);
  const auto general = restore_options(args);
  restore::AddRawOptions options;
  options.archive = general.archive;
  options.connection = general.connection;
  options.main_db = general.main_db;
  options.message_db_prefix = general.message_db_prefix;
  options.only = general.only;
  options.raw = general.raw;
  options.catalog = general.catalog;
  options.tool_version = general.tool_version;
  options.lock_wait_seconds = general.lock_wait_seconds;
  options.workers = general.workers;
  options.load_method = general.load_method;
  options.secret = general.secret;
  options.public_key = general.public_key;
  options.dry_run = general.dry_run;
  return options;
}

void run_add_raw_command(const RestoreArgs& args, CommandContext& context) {
  const auto options = add_raw_options(args);
  context.metrics.check_writable();
  TerminalReporter reporter(context.mode);
  const auto outcome = restore::run_add_raw(options, reporter);
  reporter.clear_progress();
  present_add_raw(outcome, reporter, context);
}

void run_restore_command(const RestoreArgs& args, CommandContext& context) {
  if (args.add_raw) {
    run_add_raw_command(args, context);
    return;
  }
  const auto options = restore_options(args);
  context.metrics.check_writable();
  const NextSteps steps(args.connection);
  if (options.dry_run) {
    run_restore_dry_run(options, steps, context);
    return;
  }
  TerminalReporter reporter(context.mode);
  const auto outcome = restore::run_restore(options, reporter);
  reporter.clear_progress();
  context.metrics.record({outcome.rows, outcome.stored_bytes, outcome.raw_bytes, {}, {}});
  for (const auto& warning : outcome.warnings) {
    reporter.warn(warning);
  }
  context.exit_code = exit_code_of(outcome.state);
  if (context.mode.json) {
    print_json(restore_outcome_json(outcome, steps));
  } else if (!context.mode.quiet) {
    const HumanText escaped(std::cout);
    print_restore_outcome(outcome, steps, std::cout);
  } else if (context.exit_code != 0) {
    std::cerr << awaiting_migrations_line(
        outcome.id,
        outcome.gate,
        outcome.gate ? outcome.gate->missing_count() : outcome.plan.main_missing.size(),
        steps) << '\n';
  }
}

} // namespace

void add_restore_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<RestoreArgs>();
  auto* command = app.add_subcommand(
      "restore", "Guarded restore: staging, atomic swap, migration gate (exit 0/3)");
  command->add_option("archive", args->archive, "archive file, or - for standard input")
      ->required();
  args->connection.add_to(*command);
  command->add_option("--target-version", args->target_version, "the Postal release restored into");
  command->add_option("--postal-app", args->postal_app, "the target's Postal app directory");
  command->add_option("--catalog", args->catalog, "JSON file adding or overriding releases");
  command->add_option("--databases", args->databases, "only these databases of the archive")
      ->delimiter(',');
  args->raw.add_to(*command);
  command->add_flag("--add-raw",
                    args->add_raw,
                    "bring raw tables back from the archive into the running install (all its "
                    "days, or those of --raw-since/--raw-days) and re-link their messages; "
                    "tables already live are left alone");
  command->add_flag("--force",
                    args->force,
                    "restore even though Postal is connected, the target holds data or a config "
                    "file differs");
  command->add_flag("--dry-run",
                    args->dry_run,
                    "every check and refusal of the restore, then what it would do; writes "
                    "nothing (the same as `plan` with connection options)");
  command->add_flag("--keep-previous",
                    args->keep_previous,
                    "keep the replaced databases (pbk_<id>_old_<n>) after finishing");
  command->add_option("--migrate-with",
                      args->migrate_with,
                      "run this command to migrate, then "
                      "finish");
  command->add_option("--schedule-migrations",
                      args->schedule_migrations,
                      "command for `status --run-scheduled` to run at Postal's next start");
  command->add_option("--config-dest",
                      args->config_dest,
                      "write the archive's Postal config files into DIR (--force: overwrite)");
  args->key.add_to(*command);
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM) the archive must be signed by; checked "
                          "before anything is written (a pipe is then refused)");
  command->add_option("--lock-wait", args->lock_wait, "seconds the swap waits for table locks")
      ->check(CLI::Range(1, 86400));
  args->load.add_to(*command);
  context.metrics.add_option(*command);
  command->callback([args, &context] { run_restore_command(*args, context); });
}

} // namespace pbk::cli
