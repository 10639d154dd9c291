// SPDX-License-Identifier: MIT
#include "postal/release_catalog.hpp"

#include "core/embedded_files.hpp"
#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace pbk::postal {
namespace {

using Json = nlohmann::json;

constexpr std::string_view k_1x_prefix = "1.x@";

// Fields not named here (commit, activerecord, raw_table_files, ...) are facts for people;
// the tool ignores them, so a --catalog file may leave them out.
std::string optional_string(const Json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) {
    return {};
  }
  return j.at(key).get<std::string>();
}

std::vector<MainMigration> main_migrations_from(const Json& list) {
  std::vector<MainMigration> migrations;
  for (const auto& entry : list) {
    MainMigration m{entry.at("version").get<std::string>(), optional_string(entry, "name")};
    if (m.version.empty() || m.version.find_first_not_of("0123456789") != std::string::npos) {
      throw std::invalid_argument("main migration version '" + m.version + "' is not a number");
    }
    if (!migrations.empty() && core::compare_levels(migrations.back().version, m.version) >= 0) {
      throw std::invalid_argument("main_migrations are not in ascending order at " + m.version);
    }
    migrations.push_back(std::move(m));
  }
  if (migrations.empty()) {
    throw std::invalid_argument("main_migrations is empty");
  }
  return migrations;
}

std::vector<MessageMigration> message_migrations_from(const Json& list) {
  std::vector<MessageMigration> migrations;
  for (const auto& entry : list) {
    MessageMigration m{entry.at("number").get<int>(), optional_string(entry, "name")};
    // Not strictly ascending: master once had two migrations numbered 19 for 13 minutes.
    if (m.number <= 0 || (!migrations.empty() && migrations.back().number > m.number)) {
      throw std::invalid_argument("message_db_migrations are not ascending positive numbers at "
                                  + std::to_string(m.number));
    }
    migrations.push_back(std::move(m));
  }
  return migrations;
}

std::string level_text(const Json& j, const char* key, const std::string& fallback) {
  if (!j.contains(key) || j.at(key).is_null()) {
    return fallback;
  }
  return j.at(key).is_number_integer() ? std::to_string(j.at(key).get<int>())
                                       : j.at(key).get<std::string>();
}

Release release_from(const Json& j) {
  Release r;
  r.version = j.at("version").get<std::string>();
  const std::string kind = j.contains("kind") ? j.at("kind").get<std::string>() : "release";
  if (kind != "release" && kind != "1.x-master") {
    throw std::invalid_argument("kind '" + kind + "' is neither release nor 1.x-master");
  }
  r.is_1x = kind == "1.x-master";
  if (r.is_1x ? !r.version.starts_with(k_1x_prefix) : !core::is_semver(r.version)) {
    throw std::invalid_argument(r.is_1x ? "a 1.x-master version must start with 1.x@"
                                        : "version is not MAJOR.MINOR.PATCH[-pre]");
  }
  r.date = optional_string(j, "date");
  r.main_migrations = main_migrations_from(j.at("main_migrations"));
  r.message_db_migrations = message_migrations_from(j.at("message_db_migrations"));
  r.main_schema_level = level_text(j, "main_schema_level", r.main_migrations.back().version);
  if (r.main_schema_level != r.main_migrations.back().version) {
    throw std::invalid_argument("main_schema_level " + r.main_schema_level
                                + " is not the last main migration");
  }
  const std::string last_message =
      r.message_db_migrations.empty() ? "0" : std::to_string(r.message_db_migrations.back().number);
  r.message_db_schema_level = level_text(j, "message_db_schema_level", last_message);
  r.main_schema_file = optional_string(j, "main_schema_file");
  r.message_db_schema_file = optional_string(j, "message_db_schema_file");
  r.current_from = optional_string(j, "current_on_master_from");
  r.current_until = optional_string(j, "current_on_master_until");
  return r;
}

std::vector<Release> parse_catalog(std::string_view text, const std::string& origin) {
  std::vector<Release> releases;
  std::set<std::string> seen;
  try {
    const Json document = Json::parse(text);
    if (!document.is_array()) {
      throw std::invalid_argument("the top level is not an array of releases");
    }
    for (std::size_t i = 0; i < document.size(); ++i) {
      try {
        releases.push_back(release_from(document[i]));
      } catch (const std::exception& e) {
        const auto& entry = document[i];
        const std::string name = entry.is_object() && entry.contains("version")
                                     ? " (" + entry.at("version").dump() + ")"
                                     : "";
        throw std::invalid_argument("release " + std::to_string(i + 1) + name + ": " + e.what());
      }
      if (!seen.insert(releases.back().version).second) {
        throw std::invalid_argument("version " + releases.back().version + " appears twice");
      }
    }
  } catch (const std::exception& e) {
    throw core::Error(core::ExitCode::usage,
                      "release catalog " + origin + " is malformed: " + e.what(),
                      {"docs/catalog.md describes the format; each release needs version, "
                       "main_migrations and message_db_migrations"});
  }
  return releases;
}

std::string day(const std::string& timestamp) {
  return timestamp.substr(0, 10);
}

std::string describe_run(const Release& first, const Release& last) {
  if (first.is_1x) {
    const std::string from = day(first.current_from.empty() ? first.date : first.current_from);
    return last.current_until.empty() ? "1.x since " + from
                                      : "1.x " + from + " … " + day(last.current_until);
  }
  return first.version == last.version ? first.version : first.version + "–" + last.version;
}

} // namespace

Era Release::era() const {
  if (is_1x) {
    return Era::v1;
  }
  const int major = core::major_version(version);
  return major >= 3 ? Era::v3 : (major == 2 ? Era::v2 : Era::v1);
}

ReleaseCatalog ReleaseCatalog::built_in() {
  const auto text = core::embedded_file("releases.json");
  if (!text) {
    throw core::Error(core::ExitCode::runtime, "this binary was built without releases.json");
  }
  ReleaseCatalog catalog;
  catalog.m_releases = parse_catalog(*text, "built into postal-backup");
  catalog.sort();
  return catalog;
}

void ReleaseCatalog::merge(std::string_view json, const std::string& origin) {
  for (auto& release : parse_catalog(json, origin)) {
    const auto same = std::find_if(m_releases.begin(), m_releases.end(), [&](const Release& r) {
      return r.version == release.version;
    });
    if (same != m_releases.end()) {
      *same = std::move(release);
    } else {
      m_releases.push_back(std::move(release));
    }
  }
  sort();
}

void ReleaseCatalog::merge_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  if (!in || !(text << in.rdbuf())) {
    throw core::Error(core::ExitCode::usage,
                      "cannot read the release catalog " + file.string(),
                      {"check the path given to --catalog"});
  }
  merge(text.str(), file.string());
}

void ReleaseCatalog::sort() {
  std::stable_sort(m_releases.begin(), m_releases.end(), [](const Release& a, const Release& b) {
    if (a.is_1x != b.is_1x) {
      return a.is_1x;
    }
    if (a.is_1x) {
      return a.date != b.date ? a.date < b.date
                              : core::compare_levels(a.main_schema_level, b.main_schema_level) < 0;
    }
    return core::compare_versions(a.version, b.version) < 0;
  });
}

const Release* ReleaseCatalog::find(std::string_view version) const {
  for (const auto& release : m_releases) {
    if (release.version == version) {
      return &release;
    }
  }
  return nullptr;
}

std::vector<const Release*> ReleaseCatalog::releases_with_main_level(std::string_view level) const {
  std::vector<const Release*> found;
  for (const auto& release : m_releases) {
    if (release.main_schema_level == level) {
      found.push_back(&release);
    }
  }
  return found;
}

const Release* ReleaseCatalog::newest_at_main_level(std::string_view level) const {
  const Release* any = nullptr;
  const Release* main_entry = nullptr;
  for (const auto* release : releases_with_main_level(level)) {
    any = release;
    if (release->version.find('+') == std::string::npos) {
      main_entry = release;
    }
  }
  return main_entry != nullptr ? main_entry : any;
}

std::optional<std::string> ReleaseCatalog::release_range(std::string_view main_level,
                                                         std::string_view message_level) const {
  const auto matches = [&](const Release& r) {
    return r.main_schema_level == main_level
           && (message_level.empty() || r.message_db_schema_level == message_level);
  };
  std::vector<std::string> runs;
  for (std::size_t i = 0; i < m_releases.size(); ++i) {
    if (!matches(m_releases[i])) {
      continue;
    }
    std::size_t last = i;
    while (last + 1 < m_releases.size() && matches(m_releases[last + 1])
           && m_releases[last + 1].is_1x == m_releases[i].is_1x) {
      ++last;
    }
    runs.push_back(describe_run(m_releases[i], m_releases[last]));
    i = last;
  }
  if (runs.empty()) {
    return std::nullopt;
  }
  std::string text = runs.front();
  for (std::size_t i = 1; i < runs.size(); ++i) {
    text += ", " + runs[i];
  }
  return text;
}

std::vector<std::string> ReleaseCatalog::known_versions() const {
  std::vector<std::string> versions;
  for (const auto& release : m_releases) {
    if (!release.is_1x) {
      versions.push_back(release.version);
    }
  }
  return versions;
}

std::string ReleaseCatalog::main_migration_name(std::string_view version) const {
  for (auto it = m_releases.rbegin(); it != m_releases.rend(); ++it) {
    for (const auto& migration : it->main_migrations) {
      if (migration.version == version && !migration.name.empty()) {
        return migration.name;
      }
    }
  }
  return {};
}

} // namespace pbk::postal
