// SPDX-License-Identifier: MIT
#include "restore/gate.hpp"

#include "postal/live_schema_check.hpp"
#include "postal/schema_release_facts.hpp"

#include "core/error.hpp"

#include <nlohmann/json.hpp>

namespace pbk::restore {
namespace {

using Json = nlohmann::json;

std::vector<std::string> as_text(const std::vector<int>& numbers) {
  std::vector<std::string> text;
  for (const int n : numbers) {
    text.push_back(std::to_string(n));
  }
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

const char* era_name(postal::Era era) {
  switch (era) {
  case postal::Era::v1:
    return "1.x";
  case postal::Era::v2:
    return "2.x";
  case postal::Era::v3:
    break;
  }
  return "3.x";
}

postal::Era parse_era(const std::string& text) {
  if (text == "1.x") {
    return postal::Era::v1;
  }
  return text == "2.x" ? postal::Era::v2 : postal::Era::v3;
}

} // namespace

GateResult evaluate_gate(core::db::Connection& connection,
                         const std::vector<JournalDatabase>& databases,
                         const postal::MigrationTarget& target,
                         const postal::ReleaseCatalog& catalog) {
  const auto facts = postal::schema_catalog(catalog);
  const auto main_history = postal::main_schema_history(facts.main_migrations);
  const auto message_history = postal::message_schema_history(facts.message_db_migrations);
  const auto message_migrations = as_text(target.message_db_migrations);
  GateResult result;
  for (const auto& database : databases) {
    const bool main = database.role == archive::DatabaseRole::main;
    auto live = check_live_database(
        connection, database.live, database.role, main_history, message_history);
    const auto pending = postal::pending_migrations(
        live.recorded, main ? target.main_migrations : message_migrations);
    result.migrations_missing += pending.size();
    if (!pending.empty()) {
      result.missing.push_back(database.live + ": migrations not recorded: " + joined(pending));
    }
    if (live.check.structure.expected_level.empty()) {
      result.warnings.push_back(database.live + ": no expected schema is known for level "
                                + live.check.recorded_level
                                + "; only the recorded migrations were checked");
    }
    for (const auto& finding : live.check.structure.findings) {
      result.missing.push_back(database.live + ": " + finding.message);
      if (finding.kind != postal::FindingKind::known_drift) {
        result.unfixable.push_back(result.missing.back());
      }
    }
    for (const auto& note : live.check.structure.notes) {
      result.warnings.push_back(database.live + ": " + note.message);
    }
  }
  result.holds = result.missing.empty();
  return result;
}

std::string target_to_json(const postal::MigrationTarget& target) {
  return Json{{"version", target.version},
              {"main_schema_level", target.main_schema_level},
              {"main_migrations", target.main_migrations},
              {"message_db_migrations", target.message_db_migrations},
              {"era", era_name(target.era)},
              {"source", target.source}}
      .dump();
}

postal::MigrationTarget target_from_json(const std::string& json) {
  try {
    const auto j = Json::parse(json);
    postal::MigrationTarget target;
    target.version = j.at("version").get<std::string>();
    target.main_schema_level = j.at("main_schema_level").get<std::string>();
    target.main_migrations = j.at("main_migrations").get<std::vector<std::string>>();
    target.message_db_migrations = j.at("message_db_migrations").get<std::vector<int>>();
    target.era = parse_era(j.at("era").get<std::string>());
    target.source = j.at("source").get<std::string>();
    return target;
  } catch (const Json::exception& e) {
    throw core::Error(core::ExitCode::runtime,
                      std::string("the restore journal's target record is unreadable: ")
                          + e.what());
  }
}

} // namespace pbk::restore
