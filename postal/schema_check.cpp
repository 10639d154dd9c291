// SPDX-License-Identifier: MIT
// The expected schemas of consecutive levels are the facts that explain a difference: an element
// (table, column, index) first appears at some level, so that level's migrations introduce it.
// Of several healthy variants of a level the closest one is reported, so an upgraded message
// database is never told it differs from a fresh one.
#include "postal/schema_check.hpp"

#include "postal/expected_schema.hpp"

#include "core/error.hpp"
#include "core/version_order.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace pbk::postal {

namespace {

CanonicalSchema parse_expected(const std::string& schema_file) {
  const auto text = expected_canonical(schema_file);
  if (!text) {
    throw core::Error(core::ExitCode::runtime,
                      "this build has no expected schema for " + schema_file);
  }
  auto schema = parse_canonical(*text);
  for (const auto& name : tables_taking_database_default(schema_file)) {
    if (const auto table = schema.tables.find(name); table != schema.tables.end()) {
      table->second.takes_database_default = true;
    }
  }
  return schema;
}

std::size_t drift_count(const std::vector<Finding>& findings) {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [](const Finding& f) { return !is_information(f.kind); }));
}

// Fewer drift findings first, then fewer notes: the variant the database is closest to.
bool closer(const std::vector<Finding>& a, const std::vector<Finding>& b) {
  const auto drift_a = drift_count(a);
  const auto drift_b = drift_count(b);
  return drift_a != drift_b ? drift_a < drift_b : a.size() < b.size();
}

std::vector<NamedMigration> sorted_unique(std::vector<NamedMigration> known) {
  std::sort(known.begin(), known.end(), [](const auto& a, const auto& b) {
    return core::compare_levels(a.id, b.id) < 0;
  });
  known.erase(std::unique(known.begin(),
                          known.end(),
                          [](const auto& a, const auto& b) { return a.id == b.id; }),
              known.end());
  return known;
}

// Gives each level the migrations after the previous level up to and including it.
void assign_migrations(SchemaHistory& history, const std::vector<NamedMigration>& known) {
  std::string previous;
  for (auto& level : history.levels) {
    for (const auto& migration : sorted_unique(known)) {
      if ((previous.empty() || core::compare_levels(previous, migration.id) < 0)
          && core::compare_levels(level.level, migration.id) >= 0) {
        level.migrations.push_back(migration);
      }
    }
    previous = level.level;
  }
}

SchemaLevel make_level(std::string level, std::vector<std::string> files) {
  SchemaLevel result{std::move(level), {}, std::move(files), {}};
  for (const auto& file : result.schema_files) {
    result.schemas.push_back(parse_expected(file));
  }
  return result;
}

// Whether `schema` has the element a finding is about (its table, column or index).
bool has_element(const CanonicalSchema& schema, const Finding& finding) {
  const auto table = schema.tables.find(finding.table);
  if (table == schema.tables.end()) {
    return false;
  }
  if (!finding.column.empty()) {
    return table->second.columns.contains(finding.column);
  }
  if (!finding.index.empty()) {
    return table->second.indexes.contains(finding.index);
  }
  return true;
}

bool level_has_element(const SchemaLevel& level, const Finding& finding) {
  return std::any_of(level.schemas.begin(), level.schemas.end(), [&](const CanonicalSchema& s) {
    return has_element(s, finding);
  });
}

std::string element_name(const Finding& finding) {
  if (!finding.column.empty()) {
    return finding.table + "." + finding.column;
  }
  if (!finding.index.empty()) {
    return "index " + finding.table + "." + finding.index;
  }
  return "table " + finding.table;
}

// Of a level's migrations, those whose name mentions the element's table (credentials →
// add_uuid_to_credentials), or all of them when none does.
std::vector<NamedMigration> likely_migrations(const SchemaLevel& level, const Finding& finding) {
  std::string stem = finding.table;
  if (stem.ends_with("s")) {
    stem.pop_back();
  }
  std::vector<NamedMigration> named;
  for (const auto& migration : level.migrations) {
    if (!stem.empty() && migration.name.find(stem) != std::string::npos) {
      named.push_back(migration);
    }
  }
  return named.empty() ? level.migrations : named;
}

std::string migration_list(const std::vector<NamedMigration>& migrations) {
  std::string text;
  for (const auto& migration : migrations) {
    text += (text.empty() ? "" : ", ") + migration.id;
    if (!migration.name.empty()) {
      text += " (" + migration.name + ")";
    }
  }
  return text;
}

void explain(Finding& finding, std::size_t recorded, const SchemaHistory& history) {
  const auto& levels = history.levels;
  const bool missing = finding.kind == FindingKind::missing_table
                       || finding.kind == FindingKind::missing_column
                       || finding.kind == FindingKind::missing_index;
  const bool extra = finding.kind == FindingKind::extra_table
                     || finding.kind == FindingKind::extra_column
                     || finding.kind == FindingKind::extra_index;
  if (missing) {
    std::size_t first = 0;
    while (first < recorded && !level_has_element(levels[first], finding)) {
      ++first;
    }
    if (first == 0 || levels[first].migrations.empty()) {
      return; // part of the oldest known schema: no migration to name
    }
    const auto migrations = likely_migrations(levels[first], finding);
    finding.migration = migrations.front().id;
    finding.message = history.migrations_table + " records " + migration_list(migrations) + " but "
                      + element_name(finding) + " is absent";
  } else if (extra) {
    for (std::size_t later = recorded + 1; later < levels.size(); ++later) {
      if (level_has_element(levels[later], finding) && !levels[later].migrations.empty()) {
        const auto migrations = likely_migrations(levels[later], finding);
        finding.migration = migrations.front().id;
        finding.message = element_name(finding) + " exists but migration "
                          + migration_list(migrations) + " is not recorded in "
                          + history.migrations_table;
        return;
      }
    }
  }
}

// The level's healthy variant nearest the live schema (fewest drift findings, then fewest
// findings): a server that matches one of them exactly is healthy, whichever it matches.
std::vector<Finding> closest_variant(const CanonicalSchema& live,
                                     const SchemaLevel& level,
                                     const LiveDefaults& defaults,
                                     std::string& variant_file) {
  std::optional<std::vector<Finding>> best;
  for (std::size_t i = 0; i < level.schemas.size(); ++i) {
    auto findings = compare_schemas(live, level.schemas[i], defaults);
    if (!best || closer(findings, *best)) {
      best = std::move(findings);
      variant_file = level.schema_files[i];
    }
  }
  return best ? std::move(*best) : std::vector<Finding>{};
}

// A known drift of the recorded level that leaves fewer differences than the healthy schema
// replaces them: its one finding names the cause, followed by whatever it does not explain.
void prefer_known_drift(const CanonicalSchema& live,
                        std::string_view recorded_level,
                        const SchemaHistory& history,
                        const LiveDefaults& defaults,
                        std::vector<Finding>& best) {
  for (const auto& drift : history.drifts) {
    if (drift.level != recorded_level || drift_count(best) == 0) {
      continue;
    }
    auto rest = compare_schemas(live, drift.schema, defaults);
    if (drift_count(rest) < drift_count(best)) {
      best = std::vector<Finding>{{FindingKind::known_drift, {}, {}, {}, {}, drift.message}};
      best.insert(best.end(), rest.begin(), rest.end());
    }
  }
}

} // namespace

SchemaHistory main_schema_history(const std::vector<NamedMigration>& known) {
  SchemaHistory history{"schema_migrations", {}, {}};
  for (const auto& file : expected_main_schema_files()) {
    const auto slash = file.rfind('/');
    const auto dot = file.rfind('.');
    history.levels.push_back(make_level(file.substr(slash + 1, dot - slash - 1), {file}));
  }
  assign_migrations(history, known);
  return history;
}

SchemaHistory message_schema_history(const std::vector<NamedMigration>& known) {
  SchemaHistory history{"migrations", {}, {}};
  for (const auto& level : expected_message_levels()) {
    history.levels.push_back(make_level(level, healthy_message_schema_files(level)));
  }
  assign_migrations(history, known);
  const std::string legacy = "schema/message_db/20-from-19-legacy.sql";
  history.drifts.push_back(
      {"20",
       legacy,
       parse_expected(legacy),
       "recorded level 20 but tables are still utf8: migration 19 (utf8mb4 conversion) never "
       "ran — the 2020 renumbering (apply the utf8mb4 conversion of message-DB migration 19 by "
       "hand)"});
  return history;
}

StructureCheck check_structure(std::string_view live_canonical,
                               std::string_view recorded_level,
                               const SchemaHistory& history,
                               const LiveDefaults& defaults) {
  StructureCheck result;
  const auto& levels = history.levels;
  const auto at = std::find_if(levels.begin(), levels.end(), [&](const SchemaLevel& l) {
    return l.level == recorded_level;
  });
  if (at == levels.end()) {
    result.findings.push_back(
        {FindingKind::unknown_level,
         {},
         {},
         {},
         {},
         history.migrations_table + " records level " + std::string(recorded_level)
             + ", which is not a schema level of any Postal release this build knows"});
    return result;
  }
  const auto live = parse_canonical(live_canonical);
  result.expected_level = at->level;
  auto best = closest_variant(live, *at, defaults, result.expected_schema);
  const auto index = static_cast<std::size_t>(at - levels.begin());
  for (auto& finding : best) {
    explain(finding, index, history);
  }
  prefer_known_drift(live, recorded_level, history, defaults, best);
  for (auto& finding : best) {
    (is_information(finding.kind) ? result.notes : result.findings).push_back(std::move(finding));
  }
  return result;
}

std::vector<std::string> pending_migrations(const std::vector<std::string>& recorded,
                                            const std::vector<std::string>& release) {
  const std::set<std::string> have(recorded.begin(), recorded.end());
  std::vector<std::string> pending;
  for (const auto& migration : release) {
    if (!have.contains(migration)) {
      pending.push_back(migration);
    }
  }
  return pending;
}

void check_against_release(DatabaseCheck& check,
                           const std::vector<std::string>& recorded,
                           const std::vector<std::string>& release_migrations,
                           std::string_view release_level,
                           std::string_view release_version) {
  check.pending = pending_migrations(recorded, release_migrations);
  if (!check.recorded_level.empty()
      && core::compare_levels(release_level, check.recorded_level) < 0) {
    check.structure.findings.push_back(
        {FindingKind::newer_than_release,
         {},
         {},
         {},
         {},
         "recorded level " + check.recorded_level + " is newer than Postal "
             + std::string(release_version) + " (level " + std::string(release_level)
             + "): that release cannot run on this database"});
  }
}

SchemaStatus schema_status(const std::vector<DatabaseCheck>& databases) {
  const auto any = [&](auto predicate) {
    return std::any_of(databases.begin(), databases.end(), predicate);
  };
  if (any([](const DatabaseCheck& d) { return !d.structure.findings.empty(); })) {
    return SchemaStatus::drift;
  }
  if (any([](const DatabaseCheck& d) { return !d.pending.empty(); })) {
    return SchemaStatus::migrations_pending;
  }
  return SchemaStatus::healthy;
}

std::string_view to_string(SchemaStatus status) {
  switch (status) {
  case SchemaStatus::healthy:
    return "healthy";
  case SchemaStatus::migrations_pending:
    return "migrations_pending";
  case SchemaStatus::drift:
    return "drift";
  }
  return "drift";
}

} // namespace pbk::postal
