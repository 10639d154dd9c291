// SPDX-License-Identifier: MIT
#include "archive/archive_authenticity.hpp"

#include "backup/backup_job.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/retention_args.hpp"
#include "cli/commands/unfinished_restore.hpp"
#include "cli/connection_args.hpp"
#include "cli/exit_codes.hpp"
#include "cli/key_args.hpp"
#include "cli/postal_compose.hpp"
#include "core/crypto/ed25519.hpp"
#include "core/error.hpp"

#include <cctype>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

namespace pbk::cli {
namespace {

struct CreateArgs {
  ConnectionArgs connection;
  std::string output;
  std::string output_dir;
  std::vector<std::string> databases;
  int level = 2;    // see docs/performance.md: level 3 costs ~40% more CPU for ~3% less size
  int threads = -1; // -1: one per CPU, at most 4
  unsigned chunk_mib = 32;
  std::string postal_version;
  std::string postal_app;
  std::string postal_compose;
  std::string tag;
  std::string include_config;
  bool encrypt = false;
  bool force = false; // back up although a restore awaits migrations
  KeyArgs key;
  std::string sign_key;
  bool prune = false;
  bool incremental = false;
  bool full = false;
  bool verify_reused = false;
  RetentionArgs retention;
  PublicKeyArgs public_key; // --prune counts only backups it signed
};

void check_label(const std::string& value, const char* option);

void read_postal_version(const CreateArgs& args, backup::BackupOptions& options) {
  if (!args.postal_version.empty()) {
    options.postal_version = args.postal_version;
    options.version_source = archive::VersionSource::flag;
    return;
  }
  if (!args.postal_compose.empty()) {
    const auto version = postal_version_from_compose(args.postal_compose);
    check_label(version, "the Postal image tag of --postal-compose");
    options.postal_version = version;
    options.version_source = archive::VersionSource::postal_compose;
    return;
  }
  if (args.postal_app.empty()) {
    return; // the schema level alone identifies the release range
  }
  const std::string path = args.postal_app + "/VERSION";
  std::ifstream in(path);
  std::string version;
  if (!in || !std::getline(in, version) || version.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "cannot read " + path + ": --postal-app must be Postal's app directory",
                      {"give the directory holding Postal's VERSION file, or --postal-version V"});
  }
  // VERSION files written on Windows or by `echo` end in whitespace that is not the version.
  while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back()))) {
    version.pop_back();
  }
  check_label(version, "the VERSION file of --postal-app");
  options.postal_version = version;
  options.version_source = archive::VersionSource::postal_app;
}

void check_label(const std::string& value, const char* option) {
  static const std::regex safe("[A-Za-z0-9._+-]{1,64}");
  if (!value.empty() && !std::regex_match(value, safe)) {
    throw core::Error(core::ExitCode::usage,
                      std::string(option) + " '" + value
                          + "' may only hold letters, digits and . _ + -",
                      {"it becomes part of the archive's file name"});
  }
}

backup::OutputChoice output_choice(const CreateArgs& args) {
  backup::OutputChoice choice;
  if (args.output.empty() == args.output_dir.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "name exactly one of --output FILE (or - for standard output) and "
                      "--output-dir DIR");
  }
  if (args.output == "-") {
    choice.to_stdout = true;
  } else {
    choice.file = args.output;
    choice.directory = args.output_dir;
  }
  return choice;
}

// Compression is the most expensive stage, and one connection reads no faster than about
// 300 MB/s: a thread per CPU, each reading and compressing its own tables. Capped at 4 so a
// backup never takes every core of a big mail server.
int default_threads() {
  const unsigned cpus = std::thread::hardware_concurrency();
  return cpus <= 1 ? 0 : static_cast<int>(std::min(cpus, 4u));
}

// --encrypt needs exactly one secret, and a secret without --encrypt is a mistake worth
// naming: the operator believes the archive is encrypted.
archive::ArchiveProtection protection(const CreateArgs& args) {
  archive::ArchiveProtection protection;
  auto secret = args.key.load();
  if (args.encrypt && !secret) {
    throw core::Error(core::ExitCode::usage,
                      "--encrypt needs --key-file F or --passphrase-file F",
                      {"make a key with: head -c 32 /dev/urandom > KEYFILE; keep a copy off "
                       "the server, without it the archive cannot be restored"});
  }
  if (secret && !args.encrypt) {
    throw core::Error(core::ExitCode::usage,
                      "--key-file/--passphrase-file given without --encrypt",
                      {"add --encrypt to seal the archive"});
  }
  if (secret) {
    archive::EncryptionInfo info;
    protection.key =
        std::make_shared<const archive::ArchiveKey>(archive::ArchiveKey::create(*secret, info));
    protection.encryption = info;
  }
  if (!args.sign_key.empty()) {
    protection.signer = std::make_shared<const core::crypto::SigningKey>(
        core::crypto::SigningKey::load(args.sign_key));
  }
  return protection;
}

// --incremental makes --output-dir a repository (docs/operations.md, "Incremental backups").
backup::IncrementalChoice incremental_choice(const CreateArgs& args) {
  if (!args.incremental && (args.full || args.verify_reused)) {
    throw core::Error(core::ExitCode::usage,
                      std::string(args.full ? "--full" : "--verify-reused")
                          + " needs --incremental",
                      {"e.g. create --output-dir /backups --incremental --verify-reused"});
  }
  if (args.incremental && args.output_dir.empty()) {
    throw core::Error(core::ExitCode::usage,
                      "--incremental needs --output-dir DIR: an incremental backup lives in a "
                      "repository directory, not in one file or a pipe",
                      {"use --output-dir DIR, then `postal-backup export BACKUP --output FILE|-` "
                       "for a self-contained copy"});
  }
  backup::IncrementalChoice choice;
  choice.enabled = args.incremental;
  choice.full = args.full;
  choice.verify_reused = args.verify_reused;
  if (args.incremental) {
    choice.secret = args.key.load();
    choice.public_key = archive::load_public_key(args.public_key.path());
  }
  return choice;
}

backup::BackupOptions backup_options(const CreateArgs& args) {
  backup::BackupOptions options;
  const auto connections = args.connection.resolve();
  options.main_connection = connections.main;
  options.message_connection = connections.message;
  options.selection.main_db = connections.main_db;
  options.selection.message_db_prefix = connections.message_db_prefix;
  options.selection.only = args.databases;
  options.dump.compression.level = args.level;
  options.threads = static_cast<unsigned>(args.threads >= 0 ? args.threads : default_threads());
  options.dump.chunk_raw_bytes = std::uint64_t{args.chunk_mib} << 20;
  options.output = output_choice(args);
  check_label(args.tag, "--tag");
  check_label(args.postal_version, "--postal-version");
  if (!args.tag.empty()) {
    options.tag = args.tag;
  }
  read_postal_version(args, options);
  options.config_directory = args.include_config;
  options.protection = protection(args);
  options.incremental = incremental_choice(args);
  return options;
}

nlohmann::ordered_json summary_json(const backup::BackupSummary& summary) {
  return {{"ok", true},
          {"path", summary.location},
          {"bytes_stored", summary.stored_bytes},
          {"bytes_referenced", summary.referenced_bytes},
          {"tables_referenced", summary.reused_tables},
          {"raw_blocks_referenced", summary.reused_blocks},
          {"bytes_raw", summary.raw_bytes},
          {"rows", summary.rows},
          {"seconds", summary.seconds},
          {"archive_sha256", summary.archive_sha256},
          {"connections", summary.connections},
          {"snapshot_connections", summary.snapshot_connections},
          {"postal_version",
           summary.info.postal.version ? nlohmann::ordered_json(*summary.info.postal.version)
                                       : nullptr},
          {"main_schema_level", summary.info.postal.main_schema_level},
          {"databases", summary.info.databases.size()},
          {"config_files",
           summary.info.config ? nlohmann::ordered_json(summary.info.config->files) : nullptr},
          {"encrypted", summary.info.encryption.has_value()},
          {"signed", summary.manifest.signature.has_value()}};
}

// Checked before the backup starts: a mistyped policy must not cost a whole backup run.
void check_prune_args(const CreateArgs& args) {
  const bool rules = args.retention.rules().any();
  if (!args.prune && rules) {
    throw core::Error(core::ExitCode::usage,
                      "--keep-* options need --prune",
                      {"add --prune to remove old backups from --output-dir after this one"});
  }
  if (args.prune && (args.output_dir.empty() || !rules)) {
    throw core::Error(core::ExitCode::usage,
                      "--prune needs --output-dir DIR and at least one --keep-* option",
                      {"e.g. --output-dir /backups --prune --keep-daily 7 --keep-weekly 4"});
  }
}

// Prunes the output directory after a successful backup; returns the prune's JSON.
nlohmann::ordered_json prune_after_create(const CreateArgs& args,
                                          const backup::BackupSummary& summary,
                                          CommandContext& context,
                                          TerminalReporter& reporter) {
  repository::PruneOptions options;
  options.directory = args.output_dir;
  options.rules = args.retention.rules();
  options.just_created = std::filesystem::path(summary.location).filename().string();
  options.public_key = args.public_key.path();
  options.verify = full_verify(options.public_key);
  const auto report = repository::prune_backups(options, reporter);
  reporter.clear_progress();
  context.exit_code = exit_code_of(report);
  if (!context.mode.json && !context.mode.quiet) {
    print_prune_report(report);
  }
  return prune_json(report);
}

// "-" is how the operator asked for standard output, not a name to print.
std::string written_to(const backup::BackupSummary& summary) {
  return summary.location == "-" ? "the archive to standard output" : summary.location;
}

void run_create(const CreateArgs& args, CommandContext& context) {
  check_prune_args(args);
  const auto options = backup_options(args);
  context.metrics.check_writable();
  if (options.output.to_stdout && context.mode.json) {
    throw core::Error(core::ExitCode::usage,
                      "--json and --output - both want standard output",
                      {"write the archive to a file, or drop --json"});
  }
  TerminalReporter reporter(context.mode);
  const RestoreWatch restore_watch(
      options.main_connection, options.selection, args.force, reporter);
  const auto summary = [&] {
    try {
      return backup::run_backup(options, reporter);
    } catch (const core::Error&) {
      restore_watch.name_restore_behind_failure();
      throw;
    }
  }();
  reporter.clear_progress();
  context.metrics.record({summary.rows,
                          summary.stored_bytes,
                          summary.raw_bytes,
                          options.incremental.enabled
                              ? std::optional<std::uint64_t>(summary.referenced_bytes)
                              : std::nullopt,
                          database_metrics(summary.manifest)});
  context.metrics.record_result("wrote " + summary.location);
  for (const auto& table : summary.manifest.tables) {
    if (table.outcome == archive::TableOutcome::created_after_snapshot) {
      reporter.info("note: " + table.database + "." + table.table
                    + " was created after the snapshot; it belongs to the next backup");
    }
  }
  auto document = summary_json(summary);
  if (!context.mode.json) {
    reporter.info("wrote " + written_to(summary) + ": " + human_bytes(summary.stored_bytes) + " ("
                  + human_bytes(summary.raw_bytes) + " of rows, " + counted(summary.rows, "row")
                  + ", " + counted(summary.info.databases.size(), "database")
                  + (summary.info.config ? ", " + counted(summary.info.config->files, "config file")
                                         : std::string())
                  + ") in " + std::to_string(static_cast<int>(summary.seconds + 0.5)) + " s");
    if (summary.reused_tables > 0 || summary.reused_blocks > 0) {
      const auto blocks =
          summary.reused_blocks == 0
              ? std::string()
              : " and " + counted(summary.reused_blocks, "id block") + " of tables read again";
      reporter.info("referenced " + counted(summary.reused_tables, "past raw table") + blocks + " ("
                    + human_bytes(summary.referenced_bytes) + ") stored by " + summary.reused_from
                    + " instead of reading them");
    }
    if (!summary.one_snapshot_connection_because.empty()) {
      reporter.info("note: the snapshot's tables were read by one connection, not "
                    + std::to_string(summary.connections) + ": "
                    + summary.one_snapshot_connection_because);
    }
  }
  if (args.prune) {
    // The new archive is committed (renamed and synced) before anything old is removed.
    document["prune"] = prune_after_create(args, summary, context, reporter);
    document["ok"] = context.exit_code == 0;
  }
  if (context.mode.json) {
    print_json(document);
  }
}

} // namespace

void add_create_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<CreateArgs>();
  auto* command = app.add_subcommand("create", "Back up the main and all message databases");
  args->connection.add_to(*command);
  command->add_option("-o,--output", args->output, "archive file to write, or - for stdout");
  command->add_option("--output-dir", args->output_dir, "directory for a generated file name");
  command->add_option("--databases", args->databases, "only these databases")->delimiter(',');
  command->add_option("--level", args->level, "zstd level (default 2)")->check(CLI::Range(1, 19));
  command
      ->add_option("--threads",
                   args->threads,
                   "threads that read and compress (default: one per CPU, at most 4; 0: one)")
      ->check(CLI::Range(0, 16));
  command
      ->add_option("--chunk-size", args->chunk_mib, "MiB of rows per archive member (default 32)")
      ->check(CLI::Range(1, 1024));
  command->add_option("--postal-version", args->postal_version, "the Postal release backed up");
  auto* app_dir =
      command->add_option("--postal-app", args->postal_app, "Postal's app dir (reads VERSION)");
  command
      ->add_option("--postal-compose",
                   args->postal_compose,
                   "Postal's docker-compose.yml (reads the Postal image's version tag)")
      ->excludes(app_dir);
  command->add_option("--tag", args->tag, "a label stored in the archive and its file name");
  command->add_option("--include-config",
                      args->include_config,
                      "also store Postal's config directory (postal.yml, signing.key, …)");
  command->add_flag("--encrypt", args->encrypt, "seal every data member (AES-256-GCM)");
  args->key.add_to(*command);
  command->add_option("--sign-key", args->sign_key, "Ed25519 private key (PEM) to sign with");
  command->add_flag(
      "--force", args->force, "back up even while a restore awaits migrations on the server");
  command->add_flag("--incremental",
                    args->incremental,
                    "--output-dir is a repository: store each past raw table once, reference it "
                    "while it is unchanged");
  command->add_flag("--full", args->full, "with --incremental: store every table anew");
  command->add_flag("--verify-reused",
                    args->verify_reused,
                    "with --incremental: CHECKSUM TABLE every table before referencing it");
  command->add_flag("--prune", args->prune, "after a successful backup, prune --output-dir");
  args->retention.add_to(*command);
  args->public_key.add_to(*command,
                          "with --prune: only backups signed by this Ed25519 public key (PEM) "
                          "count");
  context.metrics.add_option(*command);
  command->callback([args, &context] { run_create(*args, context); });
}

} // namespace pbk::cli
