// SPDX-License-Identifier: MIT
// `schema check`: gathers each database's canonical text and recorded migrations, lets
// postal::check_structure judge them, and presents the result. The target release is
// --target-version, else the newest release at the recorded main level.
#include "postal/live_schema_check.hpp"
#include "postal/schema_check.hpp"
#include "postal/schema_release_facts.hpp"

#include "cli/commands/commands.hpp"
#include "cli/commands/schema_command.hpp"
#include "cli/commands/unfinished_restore.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"

#include <iostream>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

const postal::ReleaseFacts* target_release(const postal::SchemaCatalog& catalog,
                                           const std::string& version,
                                           const std::string& main_level) {
  if (version.empty()) {
    return catalog.newest_at_main_level(main_level);
  }
  if (const auto* release = catalog.find(version)) {
    return release;
  }
  std::string known;
  for (const auto& v : catalog.known_versions()) {
    known += (known.empty() ? "" : ", ") + v;
  }
  throw core::Error(core::ExitCode::refused,
                    "--target-version " + version + " is not a Postal release this build knows",
                    {"known releases: " + known});
}

using Gathered = postal::LiveCheck;

Json findings_json(const std::vector<postal::Finding>& findings) {
  Json list = Json::array();
  for (const auto& f : findings) {
    list.push_back({{"kind", postal::to_string(f.kind)},
                    {"table", f.table},
                    {"column", f.column},
                    {"index", f.index},
                    {"migration", f.migration},
                    {"message", f.message}});
  }
  return list;
}

Json check_json(const postal::DatabaseCheck& check) {
  return {{"name", check.name},
          {"role", check.role},
          {"recorded_level", check.recorded_level},
          {"expected_level", check.structure.expected_level},
          {"expected_schema", check.structure.expected_schema},
          {"pending_migrations", check.pending},
          {"findings", findings_json(check.structure.findings)},
          {"notes", findings_json(check.structure.notes)}};
}

void print_human(const std::vector<postal::DatabaseCheck>& checks,
                 const postal::ReleaseFacts* release,
                 postal::SchemaStatus status) {
  for (const auto& check : checks) {
    std::cout << check.name << " (" << check.role << "): level " << check.recorded_level;
    if (!check.structure.expected_schema.empty()) {
      std::cout << ", compared with " << check.structure.expected_schema;
    }
    std::cout << (check.structure.findings.empty() ? ", structure ok" : "") << '\n';
    for (const auto& finding : check.structure.findings) {
      std::cout << "  drift: " << finding.message << '\n';
    }
    for (const auto& note : check.structure.notes) {
      std::cout << "  note: " << note.message << '\n';
    }
    if (!check.pending.empty()) {
      std::cout << "  pending:";
      for (const auto& migration : check.pending) {
        std::cout << ' ' << migration;
      }
      std::cout << '\n';
    }
  }
  std::cout << "status: " << postal::to_string(status);
  if (release != nullptr) {
    std::cout << " (against Postal " << release->version << ")";
  }
  std::cout << '\n';
}

// --quiet: the one line a cron job mails; the details are one run without --quiet away.
std::string quiet_line(const std::vector<postal::DatabaseCheck>& checks,
                       postal::SchemaStatus status) {
  std::size_t findings = 0;
  std::size_t pending = 0;
  for (const auto& check : checks) {
    findings += check.structure.findings.size();
    pending += check.pending.size();
  }
  return "postal-backup: schema check: " + std::string(postal::to_string(status)) + " ("
         + counted(findings, "difference") + ", " + counted(pending, "migration")
         + " pending); run it without --quiet for the details";
}

} // namespace

InstallSchemaCheck check_install_schema(LiveInstall& install,
                                        const postal::SchemaCatalog& catalog,
                                        const std::string& target_version) {
  const auto main_history = postal::main_schema_history(catalog.main_migrations);
  const auto message_history = postal::message_schema_history(catalog.message_db_migrations);
  std::vector<Gathered> gathered;
  for (const auto& database : install.databases) {
    gathered.push_back(postal::check_live_database(install.connection_for(database),
                                                   database.name,
                                                   database.role,
                                                   main_history,
                                                   message_history));
  }
  InstallSchemaCheck result;
  result.release = target_release(catalog, target_version, gathered.front().check.recorded_level);
  for (auto& g : gathered) {
    if (result.release != nullptr) {
      const bool main = g.check.role == std::string("main");
      postal::check_against_release(
          g.check,
          g.recorded,
          main ? result.release->main_migrations : result.release->message_db_migrations,
          main ? result.release->main_schema_level : result.release->message_db_schema_level,
          result.release->version);
    }
    result.checks.push_back(std::move(g.check));
  }
  result.status = postal::schema_status(result.checks);
  return result;
}

void run_schema_check(const SchemaCheckArgs& args, CommandContext& context) {
  const auto catalog = postal::schema_catalog(load_catalog(args.catalog_file));
  auto install = connect_install(args.connection, true);
  auto [checks, release, status] = check_install_schema(install, catalog, args.target_version);
  // A restore awaiting migrations leaves databases that may look healthy on their own (the
  // backup's level, or a --force restore before `finish`): never healthy until it is finished.
  const auto restore_note =
      unfinished_restore_note(install.connections.front(),
                              {install.resolved.main_db, install.resolved.message_db_prefix, {}});
  if (restore_note && status == postal::SchemaStatus::healthy) {
    status = postal::SchemaStatus::migrations_pending;
  }
  context.exit_code = exit_code_of(status);
  if (context.mode.json) {
    Json databases = Json::array();
    for (const auto& check : checks) {
      databases.push_back(check_json(check));
    }
    print_json({{"status", postal::to_string(status)},
                {"target_version", release != nullptr ? Json(release->version) : Json(nullptr)},
                {"restore", restore_note ? Json(*restore_note) : Json(nullptr)},
                {"databases", databases}});
  } else if (!context.mode.quiet) {
    print_human(checks, release, status);
    if (restore_note) {
      std::cout << "restore: " << *restore_note << '\n';
    }
  } else if (restore_note) {
    std::cerr << "postal-backup: schema check: " << *restore_note << '\n';
  } else if (status != postal::SchemaStatus::healthy) {
    std::cerr << quiet_line(checks, status) << '\n';
  }
}

} // namespace pbk::cli
