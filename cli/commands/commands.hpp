// SPDX-License-Identifier: MIT
// One function per subcommand: it declares the subcommand's options and, when chosen, turns
// them into a job's option struct, runs the job and presents the result. No logic of its own.
#pragma once

#include "postal/release_catalog.hpp"

#include "cli/metrics_file.hpp"
#include "cli/output_mode.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace pbk::cli {

struct CommandContext {
  OutputMode mode;
  int exit_code = 0;
  MetricsFile metrics; // written by cli/app.cpp with the final exit code
};

void add_create_command(CLI::App& app, CommandContext& context);
void add_verify_command(CLI::App& app, CommandContext& context);
void add_export_command(CLI::App& app, CommandContext& context);
void add_inspect_command(CLI::App& app, CommandContext& context);
void add_catalog_command(CLI::App& app, CommandContext& context);
void add_plan_command(CLI::App& app, CommandContext& context);
void add_restore_command(CLI::App& app, CommandContext& context);
// finish, status, rollback
void add_restore_control_commands(CLI::App& app, CommandContext& context);
void add_list_command(CLI::App& app, CommandContext& context);
void add_prune_command(CLI::App& app, CommandContext& context);
void add_drill_command(CLI::App& app, CommandContext& context);
void add_doctor_command(CLI::App& app, CommandContext& context);

// The built-in catalog with a --catalog FILE merged in (none when the name is empty).
[[nodiscard]] postal::ReleaseCatalog load_catalog(const std::string& catalog_file);
void add_schema_command(CLI::App& app, CommandContext& context);

// Prints a JSON document on stdout (the --json contract: exactly one document).
void print_json(const nlohmann::ordered_json& document);

} // namespace pbk::cli
