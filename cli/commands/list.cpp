// SPDX-License-Identifier: MIT
#include "archive/archive_authenticity.hpp"
#include "repository/backup_directory.hpp"
#include "verify/verify_job.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/retention_args.hpp"
#include "cli/key_args.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"

#include <algorithm>
#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

struct ListArgs {
  std::string directory;
  bool verify = false;
  PublicKeyArgs public_key;
};

struct Listed {
  repository::BackupFile file;
  std::string verified = "not checked"; // "ok", "FAILED", or "-" when verify cannot apply
  std::optional<std::string> verify_error;
};

void verify_listed(Listed& listed,
                   const std::optional<std::filesystem::path>& public_key,
                   TerminalReporter& reporter) {
  try {
    core::SilentReporter quiet;
    verify::VerifyOptions options;
    options.archive = listed.file.path.string();
    options.public_key = public_key;
    (void)verify::verify_archive(options, quiet);
    listed.verified = "ok";
  } catch (const core::Error& e) {
    if (e.code() == core::ExitCode::interrupted) {
      throw;
    }
    listed.verified = "FAILED";
    listed.verify_error = e.what();
    reporter.warn(listed.file.name + " failed verify: " + e.what());
  }
}

std::string postal_text(const archive::BackupInfo& info) {
  if (info.postal.version) {
    return *info.postal.version;
  }
  return info.postal.release_range ? *info.postal.release_range : "unknown";
}

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) {
    text += (text.empty() ? "" : ",") + value;
  }
  return text.empty() ? "-" : text;
}

// Pads to a column width in characters: release ranges hold an en dash (3 UTF-8 bytes).
std::string padded(const std::string& text, std::size_t width) {
  const auto characters =
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }));
  return characters >= width ? text : text + std::string(width - characters, ' ');
}

void print_human(const std::vector<Listed>& listed, const repository::BackupDirectory& scanned) {
  const auto row = [](const std::vector<std::string>& cells) {
    const std::size_t widths[] = {21, 13, 15, 6, 10, 12, 12, 12};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      // Escaped before padding, so that the columns count what the terminal shows.
      const auto cell = core::printable(cells[i]);
      if (i + 1 < cells.size()) {
        std::cout << padded(cell, widths[i]) << ' ';
      } else {
        std::cout << cell << '\n';
      }
    }
  };
  row({"CREATED", "POSTAL", "MAIN LEVEL", "MSG", "SIZE", "TAG", "STATE", "VERIFIED", "FILE"});
  for (const auto& entry : listed) {
    const auto& file = entry.file;
    const auto* info = file.info ? &*file.info : nullptr;
    row({info ? info->created_at : "?",
         info ? postal_text(*info) : "?",
         info ? info->postal.main_schema_level : "?",
         info ? joined(repository::message_levels(*info)) : "?",
         human_bytes(file.size),
         info && info->tag ? *info->tag : "-",
         repository::to_string(file.state),
         entry.verified,
         file.name});
  }
  for (const auto& file : scanned.ignored) {
    std::cout << "ignored: " << core::printable(file.name) << ": "
              << core::printable(file.reason, core::LineBreaks::keep) << '\n';
  }
}

Json list_json(const std::vector<Listed>& listed,
               const repository::BackupDirectory& scanned,
               const ListArgs& args) {
  Json backups = Json::array();
  for (const auto& entry : listed) {
    Json j = backup_file_json(entry.file);
    j["verified"] = entry.verified == "ok"       ? "ok"
                    : entry.verified == "FAILED" ? "failed"
                    : entry.verified == "-"      ? "not_applicable"
                                                 : "not_checked";
    j["verify_error"] = entry.verify_error ? Json(*entry.verify_error) : Json(nullptr);
    backups.push_back(std::move(j));
  }
  return {{"ok", true},
          {"directory", args.directory},
          {"backups", backups},
          {"ignored", ignored_json(scanned.ignored)}};
}

// With a public key, a backup it did not sign counts as unverified (exit 4), checked or not.
void judge_listed(Listed& entry,
                  const ListArgs& args,
                  const std::optional<std::filesystem::path>& public_key,
                  TerminalReporter& reporter) {
  const auto& file = entry.file;
  if (file.state != repository::BackupState::complete) {
    entry.verified = "-"; // nothing to verify yet, or known to be incomplete
    return;
  }
  if (file.untrusted_date) {
    reporter.warn(file.name + ": untrusted date (" + *file.untrusted_date
                  + "): prune counts it by no rule");
  }
  if (file.signature_error) {
    entry.verified = "FAILED";
    entry.verify_error = file.signature_error;
    reporter.warn(*file.signature_error);
  } else if (args.verify) {
    verify_listed(entry, public_key, reporter);
  }
}

void run_list(const ListArgs& args, CommandContext& context) {
  TerminalReporter reporter(context.mode);
  const auto public_key = args.public_key.path();
  auto scanned =
      repository::scan_backup_directory(args.directory, archive::load_public_key(public_key));
  std::vector<Listed> listed;
  for (auto& file : scanned.backups) {
    Listed entry;
    entry.file = std::move(file);
    judge_listed(entry, args, public_key, reporter);
    if (entry.verify_error) {
      context.exit_code = static_cast<int>(core::ExitCode::integrity);
    }
    listed.push_back(std::move(entry));
  }
  if (context.mode.json) {
    auto document = list_json(listed, scanned, args);
    document["ok"] = context.exit_code == 0;
    print_json(document);
  } else if (!context.mode.quiet) {
    print_human(listed, scanned);
  }
}

} // namespace

void add_list_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<ListArgs>();
  auto* command =
      app.add_subcommand("list", "Show every backup in a directory, judged by its contents");
  command->add_option("directory", args->directory, "the backup directory")->required();
  command->add_flag("--verify", args->verify, "run a full verify of every complete backup");
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM): a backup it did not sign counts as not "
                          "verified (exit 4)");
  command->callback([args, &context] { run_list(*args, context); });
}

} // namespace pbk::cli
