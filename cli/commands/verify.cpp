// SPDX-License-Identifier: MIT
#include "cli/commands/commands.hpp"
#include "restore/verify_job.hpp"

#include <memory>

namespace pbk::cli {
namespace {

void run_verify(const std::string& archive, CommandContext& context) {
  TerminalReporter reporter(context.mode);
  const auto report = restore::verify_archive(archive, reporter);
  reporter.clear_progress();
  context.metrics.record(
      {report.rows, report.stored_bytes, report.raw_bytes, database_metrics(report.manifest)});
  if (context.mode.json) {
    print_json({{"ok", true},
                {"archive", archive},
                {"members", report.members},
                {"bytes_stored", report.stored_bytes},
                {"bytes_raw", report.raw_bytes},
                {"rows", report.rows},
                {"seconds", report.seconds}});
    return;
  }
  reporter.info("ok: " + archive + ": " + std::to_string(report.members) + " members, "
                + std::to_string(report.rows) + " rows, " + human_bytes(report.raw_bytes)
                + " of rows intact");
}

} // namespace

void add_verify_command(CLI::App& app, CommandContext& context) {
  auto archive = std::make_shared<std::string>();
  auto* command = app.add_subcommand("verify", "Check an archive's integrity (no database needed)");
  command->add_option("archive", *archive, "archive file, or - for standard input")->required();
  context.metrics.add_option(*command);
  command->callback([archive, &context] { run_verify(*archive, context); });
}

} // namespace pbk::cli
