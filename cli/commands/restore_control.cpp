// SPDX-License-Identifier: MIT
// `finish`, `status` and `rollback`: the journal on the target server says which restore
// they act on, so they need only the connection options (any host can run them).
#include "restore/restore_control.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/restore_report.hpp"
#include "cli/connection_args.hpp"
#include "cli/exit_codes.hpp"

#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

struct ControlArgs {
  ConnectionArgs connection;
  std::string catalog;
  bool keep_previous = false;
  std::string run_scheduled; // the operator's migration command; empty: not asked
  unsigned lock_wait = 30;
};

core::db::Connection connect_target(const ControlArgs& args) {
  auto options = args.connection.resolve().main;
  options.role = "target server";
  return core::db::Connection::connect(options);
}

void present(const restore::RestoreStatus& status,
             const ControlArgs& args,
             CommandContext& context) {
  const NextSteps steps(args.connection);
  context.exit_code = exit_code_of(status.state);
  if (context.mode.json) {
    print_json(restore_status_json(status, steps));
  } else if (!context.mode.quiet) {
    const HumanText escaped(std::cout);
    print_restore_status(status, steps, std::cout);
  } else if (context.exit_code != 0) {
    std::cerr << awaiting_migrations_line(status.record ? status.record->id : "?",
                                          status.gate,
                                          status.gate ? status.gate->missing_count() : 0,
                                          steps)
              << '\n';
  }
}

CLI::App* add_control(CLI::App& app,
                      const char* name,
                      const char* description,
                      const std::shared_ptr<ControlArgs>& args) {
  auto* command = app.add_subcommand(name, description);
  args->connection.add_to(*command);
  command->add_option("--catalog", args->catalog, "JSON file adding or overriding releases");
  return command;
}

} // namespace

void add_restore_control_commands(CLI::App& app, CommandContext& context) {
  auto finish = std::make_shared<ControlArgs>();
  auto* finish_command = add_control(
      app, "finish", "Finish a restore once its migrations are applied (exit 0/3)", finish);
  finish_command->add_flag(
      "--keep-previous", finish->keep_previous, "keep the replaced databases (pbk_<id>_old_<n>)");
  finish_command->callback([finish, &context] {
    auto connection = connect_target(*finish);
    TerminalReporter reporter(context.mode);
    present(restore::finish_restore(
                connection, load_catalog(finish->catalog), finish->keep_previous, reporter),
            *finish,
            context);
  });

  auto status = std::make_shared<ControlArgs>();
  auto* status_command = add_control(
      app, "status", "The last restore on a server; exit 3 while it awaits migrations", status);
  status_command
      ->add_option("--run-scheduled",
                   status->run_scheduled,
                   "run CMD when a restore scheduled it (restore --schedule-migrations CMD), "
                   "then finish it")
      ->check([](const std::string& command) {
        return command.empty() ? std::string("an empty command runs nothing") : std::string();
      });
  status_command->callback([status, &context] {
    auto connection = connect_target(*status);
    TerminalReporter reporter(context.mode);
    const auto catalog = load_catalog(status->catalog);
    present(!status->run_scheduled.empty()
                ? restore::run_scheduled(connection, catalog, status->run_scheduled, reporter)
                : restore::restore_status(connection, catalog),
            *status,
            context);
  });

  auto rollback = std::make_shared<ControlArgs>();
  auto* rollback_command = add_control(
      app, "rollback", "Put back the databases an unfinished restore replaced", rollback);
  rollback_command
      ->add_option("--lock-wait", rollback->lock_wait, "seconds to wait for table locks")
      ->check(CLI::Range(1, 86400));
  rollback_command->callback([rollback, &context] {
    auto connection = connect_target(*rollback);
    TerminalReporter reporter(context.mode);
    present(
        restore::rollback_restore(connection, rollback->lock_wait, reporter), *rollback, context);
  });
}

} // namespace pbk::cli
