// SPDX-License-Identifier: MIT
// `doctor [conn] [--output-dir DIR] [--metrics-file F]…`: the settings of a live install and
// the state of its backups that will bite at 03:00 or at the next restore or upgrade, each a
// finding with its severity, the setting's value and the fix (my.cnf and Docker). The checks
// belong to the folders that know them (restore/server_readiness, repository/
// backup_freshness, cli/metrics_freshness, `schema check`); this collects and prints them.
// Exit 0 all good, 3 warnings, 5 something that will make a backup or restore fail.
#include "postal/largest_message.hpp"
#include "postal/target_release.hpp"
#include "repository/backup_freshness.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/retention_args.hpp"
#include "cli/commands/schema_command.hpp"
#include "cli/commands/unfinished_restore.hpp"
#include "cli/exit_codes.hpp"
#include "cli/key_args.hpp"
#include "cli/metrics_freshness.hpp"
#include "core/error.hpp"
#include "restore/server_readiness.hpp"

#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

using core::Finding;
using core::Severity;
using Json = nlohmann::ordered_json;

struct DoctorArgs {
  ConnectionArgs connection;
  std::string catalog;
  std::string postal_app;
  std::string output_dir;
  std::vector<std::string> metrics_files;
  PublicKeyArgs public_key;
  unsigned max_backup_age_hours = repository::k_default_max_backup_age.count();
  unsigned max_drill_age_days = k_default_max_drill_age.count() / 24;
};

class Doctor {
public:
  explicit Doctor(const DoctorArgs& args)
      : m_args(args),
        m_catalog(load_catalog(args.catalog)),
        m_install(connect_install(args.connection, false)) {}

  std::vector<Finding> run(core::Reporter& reporter) {
    for (auto& connection : m_install.connections) {
      judge_server(connection);
    }
    if (discover()) {
      judge_install();
    }
    judge_backups(reporter);
    judge_metrics();
    return std::move(m_findings);
  }

private:
  void add(Finding finding) { m_findings.push_back(std::move(finding)); }

  void add(std::vector<Finding> findings) {
    for (auto& finding : findings) {
      add(std::move(finding));
    }
  }

  // With two servers, each finding names the server it is about.
  void add_for(core::db::Connection& server, std::vector<Finding> findings) {
    if (m_install.connections.size() > 1) {
      for (auto& finding : findings) {
        finding.setting += " on " + server.options().describe();
      }
    }
    add(std::move(findings));
  }

  void judge_server(core::db::Connection& server) {
    const auto variables = restore::read_server_variables(server);
    add_for(server, restore::judge_binary_log(variables));
    m_variables.push_back(variables);
  }

  // The databases a backup reads, as `create` finds them: a mail server whose database the
  // user cannot read is the failure create would stop with.
  bool discover() {
    postal::DatabaseSelection selection;
    selection.main_db = m_install.resolved.main_db;
    selection.message_db_prefix = m_install.resolved.message_db_prefix;
    try {
      m_install.databases = postal::find_postal_databases(m_install.connections.front(),
                                                          m_install.connections.back(),
                                                          m_install.connections.size() - 1,
                                                          selection);
    } catch (const core::Error& e) {
      if (e.code() == core::ExitCode::interrupted) {
        throw;
      }
      add({Severity::failure,
           "backup_select",
           "SELECT on Postal's databases",
           "not all readable",
           std::string(e.what()) + ": create fails the same way",
           e.hints().empty() ? "" : e.hints().front(),
           ""});
      return false;
    }
    add({Severity::ok,
         "backup_select",
         "SELECT on Postal's databases",
         counted(m_install.databases.size(), "database") + " readable",
         "create can read every database of the install",
         "",
         ""});
    return true;
  }

  void judge_install() {
    const auto postal3 = judge_schema();
    std::optional<std::uint64_t> largest;
    for (const auto& database : m_install.databases) {
      if (database.role == archive::DatabaseRole::message) {
        const auto size =
            postal::largest_message_size(m_install.connection_for(database), database.name);
        if (size && (!largest || *size > *largest)) {
          largest = size;
        }
      }
    }
    auto& server = m_install.connections.front();
    add(restore::judge_row_format(m_variables.front(), postal3));
    add(restore::judge_row_limits(m_variables.back(), largest));
    // In Postal's standard Docker install the server's datadir is a path in its container.
    const bool local = restore::is_local_server(server.options())
                       && m_args.connection.docker_compose_file().empty();
    add(restore::judge_datadir_space(
        m_variables.front(), local, restore::stored_bytes(server, database_names())));
    add(restore::judge_privileges(restore::read_grants(server), database_names()));
    judge_unfinished_restore();
  }

  std::vector<std::string> database_names() const {
    std::vector<std::string> names;
    for (const auto& database : m_install.databases) {
      names.push_back(database.name);
    }
    return names;
  }

  // The release the install runs: --postal-app's, else the newest at the recorded level.
  // Returns whether it is Postal 3.x (nullopt: not known).
  std::optional<bool> judge_schema() {
    std::string version;
    std::optional<bool> postal3;
    if (!m_args.postal_app.empty()) {
      const auto target = postal::target_from_postal_app(m_catalog, m_args.postal_app);
      version = target.version;
      postal3 = target.era == postal::Era::v3;
    }
    const auto schema_catalog = postal::schema_catalog(m_catalog);
    const auto result = check_install_schema(
        m_install, schema_catalog, schema_catalog.find(version) != nullptr ? version : "");
    if (!postal3 && result.release != nullptr) {
      if (const auto* release = m_catalog.find(result.release->version)) {
        postal3 = release->era() == postal::Era::v3;
      }
    }
    add(schema_finding(result));
    return postal3;
  }

  static Finding schema_finding(const InstallSchemaCheck& result) {
    std::size_t differences = 0;
    std::size_t pending = 0;
    for (const auto& check : result.checks) {
      differences += check.structure.findings.size();
      pending += check.pending.size();
    }
    Finding finding{Severity::ok,
                    "schema",
                    "schema check",
                    std::string(postal::to_string(result.status)),
                    "every database matches the expected schema of its level",
                    "",
                    ""};
    if (result.release != nullptr) {
      finding.value += " (against Postal " + result.release->version + ")";
    }
    if (result.status == postal::SchemaStatus::migrations_pending) {
      finding.severity = Severity::warning;
      finding.message = counted(pending, "migration") + " of the release not applied";
      finding.fix = "run Postal's upgrade (postal upgrade); postal-backup schema check lists them";
    } else if (result.status == postal::SchemaStatus::drift) {
      finding.severity = Severity::failure;
      finding.message = counted(differences, "difference")
                        + " from the expected schema: drills of its backups fail, and a restore "
                          "into a release may not pass its gate";
      finding.fix = "postal-backup schema check names each difference; undo the manual change";
    }
    return finding;
  }

  void judge_unfinished_restore() {
    const auto note = unfinished_restore_note(
        m_install.connections.front(),
        {m_install.resolved.main_db, m_install.resolved.message_db_prefix, {}});
    Finding finding{Severity::ok,
                    "restore_awaiting_migrations",
                    "restore journal",
                    "none",
                    "no restore awaits migrations",
                    "",
                    ""};
    if (note) {
      finding.severity = Severity::failure;
      finding.value = "awaiting migrations";
      finding.message = *note + "; create refuses to back up this half state";
      finding.fix = "apply the migrations and run postal-backup finish, or postal-backup rollback";
    }
    add(finding);
  }

  void judge_backups(core::Reporter& reporter) {
    if (m_args.output_dir.empty()) {
      add({Severity::info,
           "newest_backup",
           "--output-dir",
           "not given",
           "the backups were not checked: give the directory the nightly create writes to",
           "",
           ""});
      return;
    }
    const auto public_key = m_args.public_key.path();
    try {
      add(repository::judge_backup_directory(m_args.output_dir,
                                             full_verify(public_key),
                                             public_key,
                                             std::chrono::hours(m_args.max_backup_age_hours),
                                             reporter));
    } catch (const core::IoError& e) {
      // A directory that cannot be read holds no backup anyone could restore from.
      add({Severity::failure,
           "newest_backup",
           m_args.output_dir,
           "unreadable",
           e.what(),
           "give --output-dir the directory the nightly create writes to, readable by this user",
           ""});
    }
  }

  void judge_metrics() {
    const FreshnessLimits limits{std::chrono::hours(m_args.max_backup_age_hours),
                                 std::chrono::hours(m_args.max_drill_age_days * 24)};
    bool drill = false;
    for (const auto& file : m_args.metrics_files) {
      auto finding = judge_metrics_file(file, std::chrono::system_clock::now(), limits);
      drill = drill || finding.id == "last_drill";
      add(std::move(finding));
    }
    if (!drill) {
      add({Severity::info,
           "last_drill",
           "--metrics-file",
           "not given",
           "the last drill was not checked: give the file drill --metrics-file writes",
           "",
           ""});
    }
  }

  const DoctorArgs& m_args;
  postal::ReleaseCatalog m_catalog;
  LiveInstall m_install;
  std::vector<restore::ServerVariables> m_variables; // per connection
  std::vector<Finding> m_findings;
};

const char* result_text(Severity worst) {
  switch (worst) {
  case Severity::failure:
    return "failures";
  case Severity::warning:
    return "warnings";
  case Severity::ok:
  case Severity::info:
    break;
  }
  return "ok";
}

Json doctor_json(const std::vector<Finding>& findings, int exit_code) {
  Json list = Json::array();
  for (const auto& f : findings) {
    list.push_back({{"severity", core::to_string(f.severity)},
                    {"id", f.id},
                    {"setting", f.setting},
                    {"value", f.value},
                    {"message", f.message},
                    {"fix", f.fix.empty() ? Json(nullptr) : Json(f.fix)},
                    {"docker", f.docker.empty() ? Json(nullptr) : Json(f.docker)}});
  }
  const auto worst = core::worst(findings);
  return {{"ok", worst < Severity::warning},
          {"result", result_text(worst)},
          {"exit_code", exit_code},
          {"findings", list}};
}

void print_finding(const Finding& f, std::ostream& out) {
  out << padded(core::to_string(f.severity), 8) << padded(f.id, 28) << f.setting << ": " << f.value
      << ": " << f.message << '\n';
  if (!f.fix.empty()) {
    out << padded("", 36) << "fix:    " << f.fix << '\n';
  }
  if (!f.docker.empty()) {
    out << padded("", 36) << "docker: " << f.docker << '\n';
  }
}

void present(const std::vector<Finding>& findings, CommandContext& context) {
  std::size_t warnings = 0;
  std::size_t failures = 0;
  for (const auto& f : findings) {
    warnings += f.severity == Severity::warning ? 1 : 0;
    failures += f.severity == Severity::failure ? 1 : 0;
  }
  if (context.mode.json) {
    print_json(doctor_json(findings, context.exit_code));
    return;
  }
  if (context.mode.quiet) { // cron mails only what needs a change, one line each
    const HumanText escaped(std::cerr);
    for (const auto& f : findings) {
      if (f.severity >= Severity::warning) {
        std::cerr << "postal-backup: doctor: " << core::to_string(f.severity) << ": " << f.id
                  << ": " << f.value << ": " << f.message
                  << (f.fix.empty() ? "" : "; fix: " + f.fix) << '\n';
      }
    }
    return;
  }
  const HumanText escaped(std::cout);
  for (const auto& f : findings) {
    print_finding(f, std::cout);
  }
  std::cout << "doctor: " << counted(failures, "failure") << ", " << counted(warnings, "warning")
            << " (exit " << context.exit_code << ")\n";
}

void run_doctor(const DoctorArgs& args, CommandContext& context) {
  TerminalReporter reporter(context.mode);
  Doctor doctor(args);
  const auto findings = doctor.run(reporter);
  reporter.clear_progress();
  context.exit_code = doctor_exit_code(core::worst(findings));
  present(findings, context);
}

} // namespace

void add_doctor_command(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<DoctorArgs>();
  auto* command = app.add_subcommand(
      "doctor", "Check a live install and its backups for settings that will bite; exit 0, 3 or 5");
  args->connection.add_to(*command);
  command->add_option("--catalog", args->catalog, "JSON file adding or overriding releases");
  command->add_option(
      "--postal-app", args->postal_app, "Postal's app dir: the release the install runs");
  command->add_option("--output-dir",
                      args->output_dir,
                      "the backup directory: its newest verified backup's age and free space");
  command->add_option("--metrics-file",
                      args->metrics_files,
                      "a metrics file create or drill writes (--metrics-file): how fresh it is; "
                      "may be given more than once");
  args->public_key.add_to(*command,
                          "Ed25519 public key (PEM) the backups must be signed by; unsigned "
                          "ones do not count as verified");
  command
      ->add_option("--max-backup-age",
                   args->max_backup_age_hours,
                   "hours after which the newest backup or a metrics file is stale (26)")
      ->check(CLI::Range(1, 24 * 366));
  command
      ->add_option("--max-drill-age",
                   args->max_drill_age_days,
                   "days after which the last passed drill is stale (8)")
      ->check(CLI::Range(1, 366));
  command->callback([args, &context] { run_doctor(*args, context); });
}

} // namespace pbk::cli
