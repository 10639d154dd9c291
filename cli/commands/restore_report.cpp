// SPDX-License-Identifier: MIT
#include "cli/commands/restore_report.hpp"

#include "cli/commands/raw_left_out_report.hpp"
#include "cli/output_mode.hpp"

#include <cstdio>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

Json databases_json(const std::vector<restore::JournalDatabase>& databases) {
  Json list = Json::array();
  for (const auto& d : databases) {
    list.push_back({{"name", d.live},
                    {"role", archive::to_string(d.role)},
                    {"staging", d.staging},
                    {"previous", d.previous}});
  }
  return list;
}

Json raw_tables_json(const std::vector<restore::JournalRawTable>& tables) {
  Json list = Json::array();
  for (const auto& t : tables) {
    list.push_back({{"database", t.database}, {"table", t.table}});
  }
  return list;
}

Json gate_json(const std::optional<restore::GateResult>& gate) {
  if (!gate) {
    return nullptr;
  }
  return {{"holds", gate->holds},
          {"missing", gate->missing},
          {"unfixable", gate->unfixable},
          {"warnings", gate->warnings}};
}

void print_lines(std::ostream& out, const char* title, const std::vector<std::string>& lines) {
  if (lines.empty()) {
    return;
  }
  out << title << "\n";
  for (const auto& line : lines) {
    out << "  " << line << "\n";
  }
}

Json config_json(const std::vector<restore::ConfigFileOutcome>& files) {
  Json list = Json::array();
  for (const auto& f : files) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(f.mode));
    list.push_back({{"file", f.name}, {"mode", mode}, {"written", f.written}});
  }
  return list;
}

std::string names(const std::vector<restore::JournalDatabase>& databases) {
  std::string text;
  for (const auto& d : databases) {
    text += (text.empty() ? "" : ", ") + d.live;
  }
  return text;
}

void print_replaced_data(const restore::RestoreOutcome& outcome,
                         const NextSteps& steps,
                         std::ostream& out) {
  out << "state:   awaiting_migrations: the restored data is live; the data it replaced is kept "
         "in ";
  for (std::size_t i = 0; i < outcome.databases.size(); ++i) {
    out << (i == 0 ? "" : ", ") << outcome.databases[i].previous;
  }
  out << "\n`" << steps.postal_backup("rollback") << "` puts it back; `"
      << steps.postal_backup("finish")
      << "` ends the restore and keeps those databases (DROP DATABASE them once no longer "
         "needed)\n";
}

// Drift `postal upgrade` cannot fix: the migrations are recorded, their schema is not there.
void print_unfixable(const restore::GateResult& gate, const NextSteps& steps, std::ostream& out) {
  print_lines(out, "recorded as applied but not in the schema:", gate.unfixable);
  out << "`postal upgrade` runs only migrations that are not recorded, so it cannot fix this: "
         "roll back with `"
      << steps.postal_backup("rollback") << "`\n";
}

bool unfixable(const std::optional<restore::GateResult>& gate) {
  return gate && !gate->unfixable.empty();
}

// The commands status and finish point to, in the order their sentence names them.
// A `restore --add-raw` whose raw tables went live and whose re-link was not done.
bool interrupted_add(const restore::RestoreStatus& status) {
  return status.record->kind == restore::RestoreKind::add_raw && status.swapped
         && restore::is_open(status.state);
}

std::vector<std::string> next_steps(const restore::RestoreStatus& status, const NextSteps& steps) {
  if (!status.record) {
    return {};
  }
  if (status.state == restore::RestoreState::abandoned) {
    return {steps.postal_backup("rollback")};
  }
  if (interrupted_add(status)) {
    return status.relinked ? std::vector<std::string>{steps.postal_backup("finish")}
                           : std::vector<std::string>{steps.postal_backup("finish"),
                                                      steps.postal_backup("rollback")};
  }
  if (status.state != restore::RestoreState::awaiting_migrations) {
    return {};
  }
  if (unfixable(status.gate)) {
    return {steps.postal_backup("rollback")};
  }
  if (status.gate && status.gate->holds) {
    return {steps.postal_backup("finish"), steps.postal_backup("rollback")};
  }
  return {steps.postal_upgrade(), steps.postal_backup("finish"), steps.postal_backup("rollback")};
}

} // namespace

Json restore_outcome_json(const restore::RestoreOutcome& outcome, const NextSteps& steps) {
  Json missing = Json::array();
  for (const auto& migration : outcome.plan.main_missing) {
    missing.push_back(migration.version);
  }
  return {{"restore_id", outcome.id},
          {"state", restore::to_string(outcome.state)},
          {"verdict", postal::to_string(outcome.plan.verdict)},
          {"target_version",
           outcome.target.version.empty() ? Json(nullptr) : Json(outcome.target.version)},
          {"target_release_range",
           outcome.target_release_range ? Json(*outcome.target_release_range) : Json(nullptr)},
          {"target_main_schema_level", outcome.target.main_schema_level},
          {"target_source", outcome.target.source},
          {"main_migrations_missing", missing},
          {"message_db_migrations_missing", outcome.plan.message_missing},
          {"commands", steps.complete(outcome.plan.commands)},
          {"migrate_exit", outcome.migrate_exit ? Json(*outcome.migrate_exit) : Json(nullptr)},
          {"replaced_data_kept", outcome.replaced_data_kept},
          {"gate", gate_json(outcome.gate)},
          {"databases", databases_json(outcome.databases)},
          {"config_files", config_json(outcome.config_files)},
          {"raw_left_out", raw_left_out_json(outcome.raw_left_out)},
          {"load_method", outcome.load_method},
          {"rows", outcome.rows},
          {"load_retries", outcome.load_retries},
          {"bytes_raw", outcome.raw_bytes},
          {"bytes_stored", outcome.stored_bytes},
          {"seconds", outcome.seconds},
          {"warnings", outcome.warnings},
          {"row_format_dynamic", outcome.dynamic_row_format_tables}};
}

void print_restore_outcome(const restore::RestoreOutcome& outcome,
                           const NextSteps& steps,
                           std::ostream& out) {
  out << "restore " << outcome.id << ": " << names(outcome.databases) << ", " << outcome.rows
      << " rows (" << human_bytes(outcome.raw_bytes) << ") loaded with " << outcome.load_method
      << " in " << static_cast<int>(outcome.seconds + 0.5) << " s"
      << (outcome.load_retries > 0 ? " (" + std::to_string(outcome.load_retries)
                                         + " members loaded again after lock conflicts)"
                                   : std::string())
      << "\n"
      << "target:  Postal "
      << (!outcome.target.version.empty() ? outcome.target.version
                                          : outcome.target_release_range.value_or("unknown"))
      << ", main level " << outcome.target.main_schema_level << " (from " << outcome.target.source
      << ")\n";
  print_raw_left_out(outcome.raw_left_out, "left out:", out);
  for (const auto& file : outcome.config_files) {
    out << "config:  " << file.name << (file.written ? " written" : " unchanged (identical)")
        << "\n";
  }
  if (outcome.state == restore::RestoreState::finished) {
    out << "state:   finished: the restored databases are live"
        << (outcome.plan.verdict == postal::Verdict::migrations_required
                ? " and migrated to the target's schema\n"
                : "\n");
    return;
  }
  if (outcome.replaced_data_kept) {
    print_replaced_data(outcome, steps, out);
    if (outcome.gate && outcome.gate->holds) {
      return;
    }
  }
  out << "state:   awaiting_migrations: the restored data is live at the backup's schema level; "
         "Postal must not serve mail until the migrations ran\n";
  if (outcome.migrate_exit && *outcome.migrate_exit != 0) {
    out << "the migration command failed with exit status " << *outcome.migrate_exit << "\n";
  }
  if (outcome.gate) {
    print_lines(out, "still missing:", outcome.gate->missing);
  }
  if (unfixable(outcome.gate)) {
    print_unfixable(*outcome.gate, steps, out);
    return;
  }
  print_lines(out, "run with the target release, in order:", steps.complete(outcome.plan.commands));
  out << "(`" << steps.postal_backup("rollback") << "` puts the previous databases back instead)\n";
}

Json restore_status_json(const restore::RestoreStatus& status, const NextSteps& steps) {
  if (!status.record) {
    return {{"restore_id", nullptr}, {"state", nullptr}};
  }
  const auto& r = *status.record;
  return {{"restore_id", r.id},
          {"kind", restore::to_string(r.kind)},
          {"state", restore::to_string(status.state)},
          {"journal_state", restore::to_string(r.state)},
          {"archive", r.archive},
          {"host", r.host},
          {"started_at", r.started_at},
          {"updated_at", r.updated_at},
          {"swapped", status.swapped},
          {"relinked", status.relinked},
          {"plan", Json::parse(r.plan_json.empty() ? "null" : r.plan_json)},
          {"migrations_scheduled", !r.scheduled_digest.empty()},
          {"scheduled_exit", r.scheduled_exit ? Json(*r.scheduled_exit) : Json(nullptr)},
          {"message", r.message},
          {"gate", gate_json(status.gate)},
          {"next_steps", next_steps(status, steps)},
          {"databases", databases_json(r.databases)},
          {r.kind == restore::RestoreKind::add_raw ? "raw_added" : "raw_left_out",
           raw_tables_json(r.raw_tables)}};
}

void print_restore_status(const restore::RestoreStatus& status,
                          const NextSteps& steps,
                          std::ostream& out) {
  if (!status.record) {
    out << "no restore has run on this server\n";
    return;
  }
  const auto& r = *status.record;
  out << "restore " << r.id << " of " << r.archive << " (from " << r.host << ", started "
      << r.started_at << " UTC): " << restore::to_string(status.state) << "\n"
      << "databases: " << names(r.databases) << "\n";
  if (!r.raw_tables.empty()) {
    out << (r.kind == restore::RestoreKind::add_raw ? "raw tables brought back: "
                                                    : "raw tables left out: ")
        << r.raw_tables.size() << "\n";
  }
  if (!r.message.empty()) {
    out << "note: " << r.message << "\n";
  }
  if (!r.scheduled_digest.empty()) {
    out << "scheduled: migrations, for `status --run-scheduled`"
        << (r.scheduled_exit ? " (ran, exit status " + std::to_string(*r.scheduled_exit) + ")"
                             : std::string(" (not run yet)"))
        << "\n";
  }
  if (status.gate) {
    print_lines(out, "still missing:", status.gate->missing);
    print_lines(out, "warnings:", status.gate->warnings);
  }
  const auto next = next_steps(status, steps);
  if (status.state == restore::RestoreState::awaiting_migrations && unfixable(status.gate)) {
    print_unfixable(*status.gate, steps, out);
  } else if (status.state == restore::RestoreState::awaiting_migrations && status.gate
             && status.gate->holds) {
    out << "nothing is missing: `" << next[0] << "` ends it, `" << next[1]
        << "` puts the replaced databases back\n";
  } else if (status.state == restore::RestoreState::awaiting_migrations) {
    out << "run the target release's migrations (`" << next[0] << "`), then `" << next[1]
        << "`; or `" << next[2] << "`\n";
  } else if (interrupted_add(status) && status.relinked) {
    out << "its raw tables are back and their messages re-linked; `" << next[0]
        << "` removes what it staged\n";
  } else if (interrupted_add(status)) {
    out << "its raw tables went live but it stopped before re-linking their messages: `" << next[0]
        << "` re-links them, `" << next[1] << "` drops them again\n";
  } else if (status.state == restore::RestoreState::abandoned) {
    out << "it was interrupted before its swap: the live databases are as they were; `" << next[0]
        << "` removes its staging databases\n";
  }
}

std::string awaiting_migrations_line(const std::string& restore_id,
                                     const std::optional<restore::GateResult>& gate,
                                     std::size_t missing,
                                     const NextSteps& steps) {
  if (unfixable(gate)) {
    return "postal-backup: restore " + restore_id + " awaits migrations, but "
           + std::to_string(gate->unfixable.size())
           + " recorded as applied are not in the schema, which `postal upgrade` cannot fix: "
             "roll back with `"
           + steps.postal_backup("rollback") + "`";
  }
  if (missing == 0) { // a --force restore keeping the data it replaced
    return "postal-backup: restore " + restore_id + " awaits `" + steps.postal_backup("finish")
           + "` (or `" + steps.postal_backup("rollback") + "`, which puts the replaced data back)";
  }
  return "postal-backup: restore " + restore_id + " awaits migrations (" + std::to_string(missing)
         + " missing): do not start Postal; run the target release's migrations (`"
         + steps.postal_upgrade() + "`), then `" + steps.postal_backup("finish") + "` (or `"
         + steps.postal_backup("rollback") + "`)";
}

} // namespace pbk::cli
