// SPDX-License-Identifier: MIT
#include "cli/commands/plan_report.hpp"

#include "cli/commands/raw_left_out_report.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_mode.hpp"

#include <iostream>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

Json optional_text(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json(nullptr);
}

std::string message_level(const std::vector<int>& migrations) {
  return migrations.empty() ? "0" : std::to_string(migrations.back());
}

Json plan_json(const PlanReport& report) {
  const auto& backup = report.backup;
  const auto& target = report.target;
  const auto& plan = report.plan;
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
                 {"release_range", optional_text(report.target_release_range)},
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
  j["commands"] = report.commands;
  j["warnings"] = plan.warnings;
  return j;
}

void print_missing(const postal::Plan& plan) {
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
}

void print_human(const PlanReport& report) {
  const auto& postal = report.backup.postal;
  const auto& target = report.target;
  std::cout << "backup:   Postal " << postal.version.value_or("unknown");
  if (postal.release_range) {
    std::cout << " (levels of " << *postal.release_range << ")";
  }
  std::cout << ", main level " << postal.main_schema_level << "\ntarget:   Postal "
            << (target.version.empty() ? "unknown" : target.version) << ", main level "
            << target.main_schema_level << ", message level "
            << message_level(target.message_db_migrations) << " (from " << target.source
            << ")\nverdict:  " << postal::to_string(report.plan.verdict) << "\n";
  if (report.plan.verdict == postal::Verdict::refused) {
    std::cout << "reason:   " << report.plan.reason << "\n";
  }
  print_missing(report.plan);
}

void print_commands(const std::vector<std::string>& commands) {
  if (!commands.empty()) {
    std::cout << "after restoring, run with the target release:\n";
    for (const auto& command : commands) {
      std::cout << "  " << command << "\n";
    }
  }
}

void print_quiet(const postal::Plan& plan) {
  if (plan.verdict == postal::Verdict::refused) {
    std::cerr << "postal-backup: refused: " << plan.reason << "\n";
  } else if (plan.verdict == postal::Verdict::migrations_required) {
    std::cerr << "postal-backup: migrations required after restoring: " << plan.main_missing.size()
              << " of the main database, " << plan.message_missing.size()
              << " message databases lacking some\n";
  }
}

void print_warnings(const std::vector<std::string>& warnings, const CommandContext& context) {
  for (const auto& warning : context.mode.quiet ? std::vector<std::string>{} : warnings) {
    std::cerr << "warning: " << warning << "\n";
  }
}

Json would_write_json(const restore::RestoreOutcome& outcome) {
  Json databases = Json::array();
  for (const auto& database : outcome.databases) {
    databases.push_back({{"name", database.live},
                         {"role", archive::to_string(database.role)},
                         {"exists", !database.created_live}});
  }
  return databases;
}

// What the restore would do: the databases it writes and the state it ends in.
void print_would(const restore::RestoreOutcome& outcome) {
  std::cout << "preflight: passed (nothing was written)\nrestore would: ";
  for (std::size_t i = 0; i < outcome.databases.size(); ++i) {
    const auto& database = outcome.databases[i];
    std::cout << (i == 0 ? "" : ", ") << (database.created_live ? "create " : "replace ")
              << database.live;
  }
  std::cout << "; end "
            << (outcome.state == restore::RestoreState::finished
                    ? "finished (exit 0)"
                    : (outcome.replaced_data_kept
                           ? "awaiting finish, the replaced data kept (exit 3)"
                           : "awaiting migrations (exit 3)"))
            << "\n";
}

} // namespace

void present_plan(const PlanReport& report, CommandContext& context) {
  context.exit_code = exit_code_of(report.plan.verdict);
  if (context.mode.json) {
    print_json(plan_json(report));
    return;
  }
  const HumanText escaped_out(std::cout);
  const HumanText escaped_err(std::cerr);
  if (!context.mode.quiet) {
    print_human(report);
    print_commands(report.commands);
  } else {
    print_quiet(report.plan);
  }
  print_warnings(report.plan.warnings, context);
}

void run_restore_dry_run(const restore::RestoreOptions& options,
                         const NextSteps& steps,
                         CommandContext& context) {
  TerminalReporter reporter(context.mode);
  const auto outcome = restore::run_restore(options, reporter);
  const PlanReport report{outcome.info,
                          outcome.target,
                          outcome.target_release_range,
                          outcome.plan,
                          steps.complete(outcome.plan.commands)};
  if (outcome.plan.verdict == postal::Verdict::refused) {
    present_plan(report, context);
    return;
  }
  context.exit_code = exit_code_of(outcome.state);
  if (context.mode.json) {
    auto j = plan_json(report);
    j["dry_run"] = true;
    j["state"] = restore::to_string(outcome.state);
    j["replaced_data_kept"] = outcome.replaced_data_kept;
    j["databases"] = would_write_json(outcome);
    j["raw_left_out"] = raw_left_out_json(outcome.raw_left_out);
    j["warnings"] = outcome.warnings;
    print_json(j);
    return;
  }
  const HumanText escaped_out(std::cout);
  const HumanText escaped_err(std::cerr);
  if (!context.mode.quiet) {
    print_human(report);
    print_would(outcome);
    print_raw_left_out(outcome.raw_left_out, "restore would leave out", std::cout);
    print_commands(report.commands);
  } else if (context.exit_code != 0) {
    std::cerr << "postal-backup: the restore would await "
              << (outcome.plan.verdict == postal::Verdict::ready ? "`finish` (it replaces data)"
                                                                 : "migrations")
              << "; run it without --quiet for the steps\n";
  }
  print_warnings(outcome.warnings, context);
}

} // namespace pbk::cli
