// SPDX-License-Identifier: MIT
// Parsing is strict (a wrong field count is an error, not a guess) because an expected schema
// that parsed to nothing would make every database look healthy. The comparison reports each
// difference of a column as its own finding, so a user sees exactly which property drifted.
#include "postal/schema_diff.hpp"

#include "postal/schema_hash.hpp"

#include "core/error.hpp"

namespace pbk::postal {

namespace {

constexpr std::string_view k_header = "pbk-schema\t1";
constexpr std::string_view k_raw_block = "raw-*";

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    fields.emplace_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) {
      return fields;
    }
    start = tab + 1;
  }
}

[[noreturn]] void malformed(std::size_t line_number, const std::string& why) {
  throw core::IntegrityError("canonical schema text, line " + std::to_string(line_number) + ": "
                             + why);
}

void parse_line(const std::vector<std::string>& f,
                std::size_t number,
                CanonicalSchema& schema,
                CanonicalTable*& table) {
  if (f[0] == "table") {
    if (f.size() != 4) {
      malformed(number, "a table line has 4 fields");
    }
    table = &schema.tables[f[1]];
    *table = CanonicalTable{f[1], f[2], f[3], {}, {}};
    return;
  }
  if (table == nullptr) {
    malformed(number, "'" + f[0] + "' line before the first table line");
  }
  if (f[0] == "column") {
    if (f.size() != 8 || (f[3] != "null" && f[3] != "not-null")) {
      malformed(number, "a column line has 8 fields and null or not-null");
    }
    table->columns[f[1]] = CanonicalColumn{f[1], f[2], f[3] == "null", f[4], f[5], f[6], f[7]};
  } else if (f[0] == "index") {
    if (f.size() < 6 || f.size() % 2 != 0 || (f[2] != "unique" && f[2] != "non-unique")) {
      malformed(number, "an index line has a name, uniqueness, type and column/prefix pairs");
    }
    CanonicalIndex index{f[1], f[2] == "unique", f[3], {}};
    for (std::size_t i = 4; i + 1 < f.size(); i += 2) {
      index.parts.emplace_back(f[i], f[i + 1]);
    }
    table->indexes[f[1]] = std::move(index);
  } else {
    malformed(number, "unknown line kind '" + f[0] + "'");
  }
}

std::string aliased(const std::string& collation, const CollationAliases& aliases) {
  const auto found = aliases.find(collation);
  return found == aliases.end() ? collation : found->second;
}

std::string shown(const std::string& field) {
  return field == "\\N" ? "none" : "'" + field + "'";
}

Finding finding(FindingKind kind, const std::string& table, std::string message) {
  return Finding{kind, table, {}, {}, {}, std::move(message)};
}

Finding column_finding(FindingKind kind,
                       const std::string& table,
                       const std::string& column,
                       std::string message) {
  return Finding{kind, table, column, {}, {}, std::move(message)};
}

Finding index_finding(FindingKind kind,
                      const std::string& table,
                      const std::string& index,
                      std::string message) {
  return Finding{kind, table, {}, index, {}, std::move(message)};
}

enum class CollationVerdict { same, information, drift };

// One collation (a table's, or a character column's) against the expected one. Postal's DDL
// names a charset but no collation (the server's default of that charset applies), or for a
// few tables nothing at all (the database's default applies); neither makes a collation of
// the expected charset wrong, so those differences are information. Another charset is drift,
// except in a table that takes the database's default, where it is what Postal makes.
CollationVerdict judge_collation(const std::string& live,
                                 const std::string& expected,
                                 bool takes_database_default,
                                 const LiveDefaults& defaults) {
  const auto none = std::string("\\N");
  if (aliased(live, defaults.aliases) == expected) {
    return CollationVerdict::same;
  }
  if (live == none || expected == none) {
    return CollationVerdict::drift; // a character column against a non-character one
  }
  const bool same_charset = charset_of_collation(live) == charset_of_collation(expected);
  const bool database_default = takes_database_default && live == defaults.database_collation;
  if (database_default && same_charset) {
    return CollationVerdict::same;
  }
  return same_charset || database_default ? CollationVerdict::information : CollationVerdict::drift;
}

std::string collation_note(const std::string& live, const std::string& expected) {
  return charset_of_collation(live) == charset_of_collation(expected)
             ? " (the same character set: not drift)"
             : " (the database's default, which Postal gives this table: not drift)";
}

bool is_temporal(const std::string& type) {
  return type.starts_with("datetime") || type.starts_with("timestamp");
}

// A live column beside the expected one of the same name, in the table being compared.
struct ColumnPair {
  const CanonicalColumn& live;
  const CanonicalColumn& expected;
  const CanonicalTable& table;
};

// "<table>.<column> <what> is <got>, expected <want><note>": every column finding reads so.
Finding column_mismatch(const ColumnPair& pair,
                        FindingKind kind,
                        const std::string& what,
                        const std::string& got,
                        const std::string& want,
                        const std::string& note = {}) {
  const std::string where = pair.table.name + "." + pair.live.name;
  return column_finding(kind,
                        pair.table.name,
                        pair.live.name,
                        where + " " + what + " is " + got + ", expected " + want + note);
}

void compare_column_type(const ColumnPair& pair, std::vector<Finding>& out) {
  const auto& live = pair.live.type;
  const auto& expected = pair.expected.type;
  if (live == expected) {
    return;
  }
  // Rails and the server decide a datetime's fractional seconds (datetime vs datetime(6));
  // Postal reads either.
  const bool precision_only = is_temporal(live) && is_temporal(expected)
                              && drop_datetime_precision(live) == drop_datetime_precision(expected);
  if (precision_only) {
    out.push_back(column_mismatch(pair,
                                  FindingKind::precision_difference,
                                  "type",
                                  live,
                                  expected,
                                  " (fractional-second precision only: not drift)"));
  } else {
    out.push_back(column_mismatch(pair, FindingKind::type_mismatch, "type", live, expected));
  }
}

void compare_column_charset(const ColumnPair& pair,
                            const LiveDefaults& defaults,
                            std::vector<Finding>& out) {
  const auto& live = pair.live;
  const auto& expected = pair.expected;
  const auto verdict = judge_collation(
      live.collation, expected.collation, pair.table.takes_database_default, defaults);
  const auto got = live.charset + "/" + live.collation;
  const auto want = expected.charset + "/" + expected.collation;
  if (verdict == CollationVerdict::drift) {
    out.push_back(column_mismatch(pair, FindingKind::charset_mismatch, "charset", got, want));
  } else if (verdict == CollationVerdict::information) {
    out.push_back(column_mismatch(pair,
                                  FindingKind::collation_difference,
                                  "charset",
                                  got,
                                  want,
                                  collation_note(live.collation, expected.collation)));
  }
}

// One finding per property that differs, in a fixed order, so the report of a column reads
// the same on every run.
void compare_column(const ColumnPair& pair,
                    const LiveDefaults& defaults,
                    std::vector<Finding>& out) {
  const auto& live = pair.live;
  const auto& expected = pair.expected;
  compare_column_type(pair, out);
  if (live.nullable != expected.nullable) {
    out.push_back(column_mismatch(pair,
                                  FindingKind::nullability_mismatch,
                                  "nullability",
                                  live.nullable ? "NULL" : "NOT NULL",
                                  expected.nullable ? "NULL" : "NOT NULL"));
  }
  if (live.default_value != expected.default_value) {
    out.push_back(column_mismatch(pair,
                                  FindingKind::default_mismatch,
                                  "default",
                                  shown(live.default_value),
                                  shown(expected.default_value)));
  }
  if (live.extra != expected.extra) {
    out.push_back(column_mismatch(
        pair, FindingKind::extra_mismatch, "extra", shown(live.extra), shown(expected.extra)));
  }
  compare_column_charset(pair, defaults, out);
}

// The table's own options: its engine, and its collation judged as a column's is.
void compare_table_options(const CanonicalTable& live,
                           const CanonicalTable& expected,
                           const LiveDefaults& defaults,
                           std::vector<Finding>& out) {
  const auto& t = live.name;
  if (live.engine != expected.engine) {
    out.push_back(
        finding(FindingKind::engine_mismatch,
                t,
                "table " + t + " engine is " + live.engine + ", expected " + expected.engine));
  }
  const auto verdict = judge_collation(
      live.collation, expected.collation, expected.takes_database_default, defaults);
  if (verdict != CollationVerdict::same) {
    const bool drift = verdict == CollationVerdict::drift;
    out.push_back(finding(drift ? FindingKind::charset_mismatch : FindingKind::collation_difference,
                          t,
                          "table " + t + " collation is " + live.collation + ", expected "
                              + expected.collation
                              + (drift ? "" : collation_note(live.collation, expected.collation))));
  }
}

// The expected columns first (missing or different), then the live ones Postal does not make.
void compare_columns(const CanonicalTable& live,
                     const CanonicalTable& expected,
                     const LiveDefaults& defaults,
                     std::vector<Finding>& out) {
  const auto& t = live.name;
  for (const auto& [name, column] : expected.columns) {
    const auto found = live.columns.find(name);
    if (found == live.columns.end()) {
      out.push_back(column_finding(
          FindingKind::missing_column, t, name, "column " + t + "." + name + " is missing"));
    } else {
      compare_column(ColumnPair{found->second, column, expected}, defaults, out);
    }
  }
  for (const auto& [name, column] : live.columns) {
    if (!expected.columns.contains(name)) {
      out.push_back(
          column_finding(FindingKind::extra_column,
                         t,
                         name,
                         "column " + t + "." + name + " is not part of the expected schema"));
    }
  }
}

// Indexes are compared whole, by their description: a different column, order, prefix or
// uniqueness all change what the index does.
void compare_indexes(const CanonicalTable& live,
                     const CanonicalTable& expected,
                     std::vector<Finding>& out) {
  const auto& t = live.name;
  for (const auto& [name, index] : expected.indexes) {
    const auto found = live.indexes.find(name);
    if (found == live.indexes.end()) {
      out.push_back(
          index_finding(FindingKind::missing_index,
                        t,
                        name,
                        "index " + t + "." + name + " (" + index.describe() + ") is missing"));
    } else if (found->second.describe() != index.describe()) {
      out.push_back(index_finding(FindingKind::index_mismatch,
                                  t,
                                  name,
                                  "index " + t + "." + name + " is " + found->second.describe()
                                      + ", expected " + index.describe()));
    }
  }
  for (const auto& [name, index] : live.indexes) {
    if (!expected.indexes.contains(name)) {
      out.push_back(index_finding(FindingKind::extra_index,
                                  t,
                                  name,
                                  "index " + t + "." + name + " (" + index.describe()
                                      + ") is not part of the expected schema"));
    }
  }
}

void compare_table(const CanonicalTable& live,
                   const CanonicalTable& expected,
                   const LiveDefaults& defaults,
                   std::vector<Finding>& out) {
  compare_table_options(live, expected, defaults, out);
  compare_columns(live, expected, defaults, out);
  compare_indexes(live, expected, out);
}

} // namespace

std::string CanonicalIndex::describe() const {
  std::string text = (unique ? "unique " : "") + type + " (";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    text += (i == 0 ? "" : ", ") + parts[i].first;
    if (parts[i].second != "\\N") {
      text += "(" + parts[i].second + ")";
    }
  }
  return text + ")";
}

CanonicalSchema parse_canonical(std::string_view text) {
  CanonicalSchema schema;
  CanonicalTable* table = nullptr;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      malformed(number + 1, "the last line does not end in LF");
    }
    const auto line = text.substr(start, end - start);
    start = end + 1;
    if (++number == 1) {
      if (line != k_header) {
        malformed(1, "expected the header 'pbk-schema<TAB>1'");
      }
      continue;
    }
    parse_line(split_tabs(line), number, schema, table);
  }
  if (number == 0) {
    malformed(1, "the text is empty");
  }
  return schema;
}

CollationAliases
default_collation_aliases(const std::map<std::string, std::string>& live_defaults) {
  // The defaults of the MariaDB that generated the expected schemas (10.x before 11.5).
  static const std::map<std::string, std::string> k_expected_defaults = {
      {"utf8mb3", "utf8mb3_general_ci"}, {"utf8mb4", "utf8mb4_general_ci"}};
  CollationAliases aliases;
  for (const auto& [charset, collation] : live_defaults) {
    const auto expected = k_expected_defaults.find(normalize_charset_name(charset));
    const auto live = normalize_charset_name(collation);
    if (expected != k_expected_defaults.end() && live != expected->second) {
      aliases[live] = expected->second;
    }
  }
  return aliases;
}

std::string charset_of_collation(std::string_view collation) {
  // Charset names hold no underscore, and every collation name starts with its charset's.
  return std::string(collation.substr(0, collation.find('_')));
}

std::vector<Finding> compare_schemas(const CanonicalSchema& live,
                                     const CanonicalSchema& expected,
                                     const LiveDefaults& defaults) {
  std::vector<Finding> out;
  for (const auto& [name, table] : expected.tables) {
    if (name == k_raw_block) {
      continue;
    }
    const auto found = live.tables.find(name);
    if (found == live.tables.end()) {
      out.push_back(finding(FindingKind::missing_table, name, "table " + name + " is missing"));
    } else {
      compare_table(found->second, table, defaults, out);
    }
  }
  for (const auto& [name, table] : live.tables) {
    if (name != k_raw_block && !expected.tables.contains(name)) {
      out.push_back(finding(
          FindingKind::extra_table, name, "table " + name + " is not part of the expected schema"));
    }
  }
  return out;
}

std::string_view to_string(FindingKind kind) {
  switch (kind) {
  case FindingKind::missing_table:
    return "missing_table";
  case FindingKind::extra_table:
    return "extra_table";
  case FindingKind::missing_column:
    return "missing_column";
  case FindingKind::extra_column:
    return "extra_column";
  case FindingKind::type_mismatch:
    return "type_mismatch";
  case FindingKind::nullability_mismatch:
    return "nullability_mismatch";
  case FindingKind::default_mismatch:
    return "default_mismatch";
  case FindingKind::extra_mismatch:
    return "extra_mismatch";
  case FindingKind::charset_mismatch:
    return "charset_mismatch";
  case FindingKind::engine_mismatch:
    return "engine_mismatch";
  case FindingKind::missing_index:
    return "missing_index";
  case FindingKind::extra_index:
    return "extra_index";
  case FindingKind::index_mismatch:
    return "index_mismatch";
  case FindingKind::known_drift:
    return "known_drift";
  case FindingKind::unknown_level:
    return "unknown_level";
  case FindingKind::newer_than_release:
    return "newer_than_release";
  case FindingKind::collation_difference:
    return "collation_difference";
  case FindingKind::precision_difference:
    return "precision_difference";
  }
  return "unknown";
}

bool is_information(FindingKind kind) {
  return kind == FindingKind::collation_difference || kind == FindingKind::precision_difference;
}

} // namespace pbk::postal
