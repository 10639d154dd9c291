// SPDX-License-Identifier: MIT
#include "archive/manifest_signature.hpp"
#include "repository/export_job.hpp"

#include "cli/commands/commands.hpp"
#include "cli/key_args.hpp"
#include "core/error.hpp"

#include <memory>

namespace pbk::cli {
namespace {

struct ExportArgs {
  std::string archive;
  std::string output;
  KeyArgs key;
  PublicKeyArgs public_key;
};

// What was proven about the copy beyond its stored bytes, in one line each.
std::vector<std::string> assurance_notes(const repository::ExportReport& report) {
  std::vector<std::string> notes;
  if (report.encrypted && !report.hmac_checked) {
    notes.push_back("encrypted: copied sealed; manifest NOT authenticated by the key (give "
                    "--key-file or --passphrase-file to check it)");
  } else if (report.encrypted) {
    notes.push_back("encrypted: copied sealed; manifest authenticated by the key");
  }
  if (report.manifest.signature) {
    const auto signer = archive::signer_fingerprint(*report.manifest.signature);
    notes.push_back(report.signature_checked
                        ? "signature: valid, signed by " + signer + "; the copy keeps it"
                        : "signature: signed by " + signer + ", not checked (give --public-key)");
  }
  return notes;
}

void run_export(const ExportArgs& args, CommandContext& context) {
  if (args.output == "-" && context.mode.json) {
    throw core::Error(core::ExitCode::usage,
                      "--json and --output - both want standard output",
                      {"write the copy to a file, or drop --json"});
  }
  repository::ExportOptions options;
  options.backup = args.archive;
  options.output = args.output;
  options.secret = args.key.load();
  options.public_key = args.public_key.path();
  TerminalReporter reporter(context.mode);
  const auto report = repository::export_backup(options, reporter);
  reporter.clear_progress();
  if (context.mode.json) {
    print_json({{"ok", true},
                {"archive", args.archive},
                {"output", report.location},
                {"members", report.members},
                {"bytes", report.bytes},
                {"sha256", report.sha256},
                {"seconds", report.seconds},
                {"encrypted", report.encrypted},
                {"manifest_authenticated_by_key", report.hmac_checked},
                {"signed_by",
                 report.manifest.signature ? nlohmann::ordered_json(
                     archive::signer_fingerprint(*report.manifest.signature))
                                           : nullptr},
                {"signature_checked", report.signature_checked}});
    return;
  }
  const auto written = report.location == "-" ? "the archive to standard output" : report.location;
  reporter.info("wrote " + written + ": " + counted(report.members, "member") + ", "
                + human_bytes(report.bytes) + ", each matching the manifest of " + args.archive);
  for (const auto& note : assurance_notes(report)) {
    reporter.info(note);
  }
}

} // namespace

void add_export_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<ExportArgs>();
  auto* command = app.add_subcommand(
      "export", "Copy a backup into one self-contained archive (off-site copies, pipes)");
  command->add_option("archive", args->archive, "the backup to copy (a file, not a pipe)")
      ->required();
  command->add_option("-o,--output", args->output, "archive file to write, or - for stdout")
      ->required();
  args->key.add_to(*command);
  args->public_key.add_to(*command, "Ed25519 public key (PEM) the backup must be signed by");
  command->callback([args, &context] { run_export(*args, context); });
}

} // namespace pbk::cli
