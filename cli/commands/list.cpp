// SPDX-License-Identifier: MIT
#include "archive/archive_authenticity.hpp"
#include "repository/backup_directory.hpp"
#include "repository/repository_usage.hpp"
#include "verify/verify_job.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/retention_args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/key_args.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"

#include <algorithm>
#include <iostream>
#include <map>
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

// "encrypted, signed", "encrypted", "signed" or "-": what protects the archive.
std::string protection_text(const repository::BackupFile& file) {
  const bool encrypted = file.info && file.info->encryption;
  if (encrypted && file.manifest_signed) {
    return "encrypted, signed";
  }
  return encrypted ? "encrypted" : file.manifest_signed ? "signed" : "-";
}

// SIZE is what the backup added to the directory (in a repository: its file and the stored
// members it was first to refer to); RESTORES what a restore of it reads.
std::vector<std::string> row_cells(const Listed& entry, const repository::RepositoryUsage& usage) {
  const auto& file = entry.file;
  const auto* info = file.info ? &*file.info : nullptr;
  const auto stored = usage.stored_by.find(file.name);
  return {info ? info->created_at : "?",
          info ? postal_text(*info) : "?",
          info ? info->postal.main_schema_level : "?",
          info ? joined(repository::message_levels(*info)) : "?",
          human_bytes(stored != usage.stored_by.end() ? stored->second : file.size),
          file.member_bytes > 0 ? human_bytes(file.member_bytes) : "-",
          info && info->tag ? *info->tag : "-",
          file.state == repository::BackupState::complete ? protection_text(file) : "?",
          repository::to_string(file.state),
          entry.verified,
          file.name};
}

// Each column as wide as its widest cell (escaped first, so that widths count what the
// terminal shows): a long release label widens its column instead of breaking the table.
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& cells : rows) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], text_columns(core::printable(cells[i])));
    }
  }
  for (const auto& cells : rows) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const auto cell = core::printable(cells[i]);
      line += i + 1 < cells.size() ? padded(cell, widths[i]) + "  " : cell;
    }
    std::cout << line << '\n';
  }
}

// "3 backups (2 complete, 1 incomplete), 1.2 GiB; 1 file ignored"
std::string total_line(const std::vector<Listed>& listed,
                       std::size_t ignored,
                       const repository::RepositoryUsage& usage) {
  std::map<repository::BackupState, std::size_t> states;
  for (const auto& entry : listed) {
    ++states[entry.file.state];
  }
  const std::uint64_t bytes = usage.total();
  std::string parts;
  for (const auto& [state, count] : states) {
    parts += (parts.empty() ? "" : ", ") + std::to_string(count) + " "
             + (state == repository::BackupState::in_progress ? "in progress"
                                                              : repository::to_string(state));
  }
  return counted(listed.size(), "backup") + (parts.empty() ? "" : " (" + parts + ")") + ", "
         + human_bytes(bytes)
         + (usage.store > 0 ? " on disk (" + human_bytes(usage.store) + " in the store)" : "")
         + (ignored > 0 ? "; " + counted(ignored, "file") + " ignored" : "");
}

void print_human(const std::vector<Listed>& listed,
                 const repository::BackupDirectory& scanned,
                 const repository::RepositoryUsage& usage) {
  std::vector<std::vector<std::string>> rows{{"CREATED",
                                              "POSTAL",
                                              "MAIN LEVEL",
                                              "MSG",
                                              "SIZE",
                                              "RESTORES",
                                              "TAG",
                                              "PROTECTED",
                                              "STATE",
                                              "VERIFIED",
                                              "FILE"}};
  for (const auto& entry : listed) {
    rows.push_back(row_cells(entry, usage));
  }
  if (!listed.empty()) {
    print_table(rows);
  }
  for (const auto& entry : listed) {
    const auto& file = entry.file;
    if (file.state == repository::BackupState::incomplete) {
      std::cout << "incomplete: " << core::printable(file.name) << ": "
                << core::printable(file.problem, core::LineBreaks::keep) << '\n';
    } else if (file.state == repository::BackupState::in_progress) {
      std::cout << "in progress: " << core::printable(file.name)
                << ": a .partial file: create is writing it, or was stopped while writing it\n";
    }
  }
  for (const auto& file : scanned.ignored) {
    std::cout << "ignored: " << core::printable(file.name) << ": "
              << core::printable(file.reason, core::LineBreaks::keep) << '\n';
  }
  std::cout << total_line(listed, scanned.ignored.size(), usage) << '\n';
}

Json list_json(const std::vector<Listed>& listed,
               const repository::BackupDirectory& scanned,
               const ListArgs& args,
               const repository::RepositoryUsage& usage) {
  Json backups = Json::array();
  for (const auto& entry : listed) {
    Json j = backup_file_json(entry.file);
    const auto stored = usage.stored_by.find(entry.file.name);
    j["in_repository"] = entry.file.in_repository;
    j["bytes_stored"] = stored != usage.stored_by.end() ? stored->second : entry.file.size;
    j["bytes_restored"] = entry.file.member_bytes;
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
          {"ignored", ignored_json(scanned.ignored)},
          {"bytes_on_disk", usage.total()},
          {"bytes_in_store", usage.store}};
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
      context.exit_code = listing_exit_code(true);
    }
    listed.push_back(std::move(entry));
  }
  std::vector<repository::BackupFile> files;
  for (const auto& entry : listed) {
    files.push_back(entry.file);
  }
  const auto usage = repository::repository_usage(args.directory, files);
  if (context.mode.json) {
    auto document = list_json(listed, scanned, args, usage);
    document["ok"] = context.exit_code == 0;
    print_json(document);
  } else if (!context.mode.quiet) {
    print_human(listed, scanned, usage);
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
