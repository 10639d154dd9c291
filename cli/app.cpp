// SPDX-License-Identifier: MIT
#include "cli/app.hpp"

#include "cli/command_typos.hpp"
#include "cli/commands/commands.hpp"
#include "cli/help_text.hpp"
#include "core/db/library.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/printable.hpp"

#include <unistd.h>

#include <iostream>
#include <string_view>

namespace pbk::cli {
namespace {

// --quiet promises one line per failure: a message that spans lines is joined.
std::string one_line(std::string text) {
  for (auto& c : text) {
    c = c == '\n' ? ' ' : c;
  }
  return text;
}

// A parse error may come before --quiet was stored, so the words are read directly.
bool quiet_requested(int argc, char** argv) {
  for (int i = 1; i < argc && std::string_view(argv[i]) != "--"; ++i) {
    if (std::string_view(argv[i]) == "--quiet" || std::string_view(argv[i]) == "-q") {
      return true;
    }
  }
  return false;
}

// Messages may quote archive content (names, paths, tags): printed escaped.
int report_error(const core::Error& error, const OutputMode& mode) {
  if (error.code() == core::ExitCode::interrupted && ::isatty(STDERR_FILENO)) {
    std::cerr << "\r\033[K"; // the terminal's "^C" echo: the message starts the line
  }
  const auto message = core::printable(error.what(), core::LineBreaks::keep);
  std::cerr << "postal-backup: error: " << (mode.quiet ? one_line(message) : message) << '\n';
  if (!mode.quiet) {
    for (const auto& hint : error.hints()) {
      std::cerr << "hint: " << core::printable(hint, core::LineBreaks::keep) << '\n';
    }
  }
  if (mode.json) {
    print_json({{"ok", false},
                {"exit_code", static_cast<int>(error.code())},
                {"error", error.what()},
                {"hints", error.hints()}});
  }
  return static_cast<int>(error.code());
}

// `postal-backup help [command [subcommand]]`: the same text as `--help`, on stdout.
void add_help_command(CLI::App& app, CommandContext& context) {
  auto words = std::make_shared<std::vector<std::string>>();
  auto* command =
      app.add_subcommand("help", "Show the commands, or a command's options and examples");
  command->add_option("command", *words, "the command (and subcommand) to describe");
  command->callback([&app, words, &context] {
    context.metrics.cancel(); // no run to record
    std::cout << help_for(app, *words);
  });
}

int run_command_line(int argc, char** argv, CommandContext& context) {
  CLI::App app("postal-backup: consistent, checksummed, version-aware backups of Postal's "
               "databases",
               "postal-backup");
  app.set_version_flag("--version", std::string("postal-backup ") + PBK_VERSION);
  // At most one; "none" is checked after parsing, so that a mistyped command or option is
  // reported by name instead of as a missing command.
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_flag("--json", context.mode.json, "print one JSON document on stdout");
  app.add_flag("-q,--quiet", context.mode.quiet, "print nothing on success (for cron)");
  add_create_command(app, context);
  add_verify_command(app, context);
  add_inspect_command(app, context);
  add_catalog_command(app, context);
  add_plan_command(app, context);
  add_restore_command(app, context);
  add_restore_control_commands(app, context);
  add_drill_command(app, context);
  add_doctor_command(app, context);
  add_list_command(app, context);
  add_prune_command(app, context);
  add_export_command(app, context);
  add_schema_command(app, context);
  add_help_command(app, context);
  describe_commands(app);
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::string commands;
      for (const auto& name : command_names(app)) {
        commands += (commands.empty() ? "" : ", ") + name;
      }
      throw core::Error(core::ExitCode::usage,
                        "no command given: name one of " + commands,
                        {"'postal-backup help COMMAND' shows a command's options and examples"});
    }
    return context.exit_code;
  } catch (const CLI::Success& e) { // --help, --version: no run to record in metrics
    context.metrics.cancel();
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const auto explained = explain_unknown_word(app, argc, argv);
    std::cerr << "postal-backup: error: "
              << core::printable(explained ? *explained : e.what(), core::LineBreaks::keep) << '\n';
    if (!quiet_requested(argc, argv)) {
      std::cerr << "hint: run 'postal-backup help' for the commands, 'postal-backup help "
                   "COMMAND' for a command's options\n";
    }
    return static_cast<int>(core::ExitCode::usage);
  } catch (const core::Error& e) {
    return report_error(e, context.mode);
  } catch (const std::exception& e) {
    return report_error(core::Error(core::ExitCode::runtime, e.what()), context.mode);
  }
}

} // namespace

int run(int argc, char** argv) {
  core::install_interrupt_handlers();
  const core::db::Library library;
  CommandContext context;
  const int code = run_command_line(argc, argv, context);
  try {
    const auto note = context.metrics.write(code);
    if (note && !context.mode.quiet) {
      std::cerr << "postal-backup: warning: " << core::printable(*note, core::LineBreaks::keep)
                << '\n';
    }
  } catch (const core::Error& e) {
    // A run nobody can monitor must still alert: through its exit code.
    const int metrics_code = report_error(e, context.mode);
    return code == 0 ? metrics_code : code;
  }
  return code;
}

} // namespace pbk::cli
