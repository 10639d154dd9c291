// SPDX-License-Identifier: MIT
#include "repository/prune_job.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/retention_args.hpp"
#include "cli/key_args.hpp"

#include <memory>

namespace pbk::cli {
namespace {

struct PruneArgs {
  std::string directory;
  RetentionArgs retention;
  bool dry_run = false;
  PublicKeyArgs public_key;
};

void run_prune(const PruneArgs& args, CommandContext& context) {
  TerminalReporter reporter(context.mode);
  repository::PruneOptions options;
  options.directory = args.directory;
  options.rules = args.retention.rules();
  options.dry_run = args.dry_run;
  options.public_key = args.public_key.path();
  options.verify = full_verify(options.public_key);
  const auto report = repository::prune_backups(options, reporter);
  reporter.clear_progress();
  context.exit_code = prune_exit_code(report);
  if (context.mode.json) {
    nlohmann::ordered_json document = {{"ok", context.exit_code == 0}};
    document.update(prune_json(report));
    print_json(document);
  } else if (!context.mode.quiet) {
    print_prune_report(report);
  }
}

} // namespace

void add_prune_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<PruneArgs>();
  auto* command = app.add_subcommand(
      "prune", "Remove old backups from a directory by a retention policy (restic-style)");
  command->add_option("directory", args->directory, "the backup directory")->required();
  args->retention.add_to(*command);
  command->add_flag("-n,--dry-run", args->dry_run, "show what would be removed, remove nothing");
  args->public_key.add_to(*command,
                          "only backups signed by this Ed25519 public key (PEM) count; the "
                          "others are kept and reported (exit 4)");
  command->callback([args, &context] { run_prune(*args, context); });
}

} // namespace pbk::cli
