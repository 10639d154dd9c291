// SPDX-License-Identifier: MIT
#include "verify/verify_job.hpp"

#include "cli/commands/commands.hpp"
#include "cli/key_args.hpp"

#include <memory>

namespace pbk::cli {
namespace {

struct VerifyArgs {
  std::string archive;
  KeyArgs key;
  PublicKeyArgs public_key;
  unsigned threads = 0;
};

// What was proven beyond the stored bytes, in one line each.
std::vector<std::string> assurance_notes(const verify::VerifyReport& report) {
  std::vector<std::string> notes;
  if (report.encrypted && !report.contents_opened) {
    notes.push_back("encrypted: stored bytes match the manifest; contents NOT opened (give "
                    "--key-file or --passphrase-file to check them)");
  } else if (report.encrypted) {
    notes.push_back("encrypted: every sealed chunk opened, manifest authenticated by the key");
  }
  if (report.signer && report.signature_checked) {
    notes.push_back("signature: valid, signed by " + *report.signer);
  } else if (report.signer) {
    notes.push_back("signature: signed by " + *report.signer + ", not checked (give --public-key)");
  }
  return notes;
}

void run_verify(const VerifyArgs& args, CommandContext& context) {
  verify::VerifyOptions options;
  options.archive = args.archive;
  options.secret = args.key.load();
  options.workers = args.threads;
  options.public_key = args.public_key.path();
  const auto& archive = args.archive;
  context.metrics.check_writable();
  TerminalReporter reporter(context.mode);
  const auto report = verify::verify_archive(options, reporter);
  reporter.clear_progress();
  context.metrics.record(
      {report.rows, report.stored_bytes, report.raw_bytes, {}, database_metrics(report.manifest)});
  if (context.mode.json) {
    print_json({{"ok", true},
                {"archive", archive},
                {"members", report.members},
                {"bytes_stored", report.stored_bytes},
                {"bytes_raw", report.raw_bytes},
                {"rows", report.rows},
                {"seconds", report.seconds},
                {"encrypted", report.encrypted},
                {"contents_checked", report.contents_opened},
                {"signed_by", report.signer ? nlohmann::ordered_json(*report.signer) : nullptr},
                {"signature_checked", report.signature_checked}});
    return;
  }
  if (!report.contents_opened) {
    reporter.info("ok (stored bytes only): " + archive + ": " + counted(report.members, "member")
                  + (report.members == 1 ? " matches" : " match") + " the manifest");
  } else {
    reporter.info("ok: " + archive + ": " + counted(report.members, "member") + ", "
                  + counted(report.rows, "row") + ", " + human_bytes(report.raw_bytes)
                  + " of rows intact");
  }
  for (const auto& note : assurance_notes(report)) {
    reporter.info(note);
  }
}

} // namespace

void add_verify_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<VerifyArgs>();
  auto* command = app.add_subcommand("verify", "Check an archive's integrity (no database needed)");
  command->add_option("archive", args->archive, "archive file, or - for standard input")
      ->required();
  args->key.add_to(*command);
  args->public_key.add_to(*command, "Ed25519 public key (PEM) the archive must be signed by");
  command
      ->add_option(
          "--threads", args->threads, "threads that decompress (default: one per CPU, at most 4)")
      ->check(CLI::Range(1, 16));
  context.metrics.add_option(*command);
  command->callback([args, &context] { run_verify(*args, context); });
}

} // namespace pbk::cli
