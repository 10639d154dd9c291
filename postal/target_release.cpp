// SPDX-License-Identifier: MIT
#include "postal/target_release.hpp"

#include "core/db/db_error.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <fstream>
#include <regex>

namespace pbk::postal {
namespace {

constexpr unsigned k_no_such_table = 1146;
constexpr unsigned k_no_such_database = 1049;
constexpr const char* k_catalog_hint =
    "a release missing from the catalog can be added with --catalog FILE (docs/catalog.md)";

std::string known_list(const postal::ReleaseCatalog& catalog) {
  std::string text;
  for (const auto& version : catalog.known_versions()) {
    text += (text.empty() ? "" : ", ") + version;
  }
  return text;
}

std::string read_version_file(const std::filesystem::path& dir) {
  std::ifstream in(dir / "VERSION");
  std::string version;
  std::getline(in, version);
  const auto end = version.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? "" : version.substr(0, end + 1);
}

// "<prefix><sep><name>.rb" files of one directory, sorted by their number.
std::vector<std::pair<std::string, std::string>> migration_files(const std::filesystem::path& dir,
                                                                 const std::regex& pattern) {
  std::vector<std::pair<std::string, std::string>> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, match, pattern)) {
      found.emplace_back(match[1].str(), match[2].str());
    }
  }
  if (error) {
    throw core::Error(core::ExitCode::usage,
                      "cannot list " + dir.string() + ": " + error.message(),
                      {"--postal-app must be Postal's app directory"});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return core::compare_levels(a.first, b.first) < 0;
  });
  return found;
}

postal::Era era_of(const postal::ReleaseCatalog& catalog,
                   const std::string& version,
                   const std::string& main_level) {
  if (core::is_semver(version)) {
    const int major = core::major_version(version);
    return major >= 3 ? postal::Era::v3 : (major == 2 ? postal::Era::v2 : postal::Era::v1);
  }
  const postal::Release* release = catalog.newest_at_main_level(main_level);
  return release == nullptr ? postal::Era::v3 : release->era();
}

postal::MigrationTarget target_from_files(const postal::ReleaseCatalog& catalog,
                                          const std::filesystem::path& dir,
                                          const std::string& version) {
  postal::MigrationTarget target;
  // Authie-gem migrations carry a ".authie" suffix before ".rb".
  for (const auto& [number, name] :
       migration_files(dir / "db" / "migrate", std::regex(R"(([0-9]+)_(.+?)(\.authie)?\.rb)"))) {
    target.main_migrations.push_back(number);
  }
  for (const auto& [number, name] :
       migration_files(dir / "lib" / "postal" / "message_db" / "migrations",
                       std::regex(R"(([0-9]+)_(.+)\.rb)"))) {
    const auto parsed = core::parse_decimal<int>(number);
    if (!parsed) {
      throw core::Error(core::ExitCode::refused,
                        dir.string() + ": message-DB migration file number " + number
                            + " is out of range",
                        {"--postal-app must be Postal's app directory"});
    }
    target.message_db_migrations.push_back(*parsed);
  }
  if (target.main_migrations.empty() || target.message_db_migrations.empty()) {
    throw core::Error(core::ExitCode::refused,
                      dir.string() + " has no main or no message-DB migration files",
                      {"--postal-app must be Postal's app directory (db/migrate and "
                       "lib/postal/message_db/migrations)"});
  }
  target.version = version;
  target.main_schema_level = target.main_migrations.back();
  target.era = era_of(catalog, version, target.main_schema_level);
  target.source = "--postal-app " + dir.string() + " (migration files)";
  return target;
}

} // namespace

postal::MigrationTarget target_from_version(const postal::ReleaseCatalog& catalog,
                                            const std::string& version) {
  const postal::Release* release = catalog.find(version);
  if (release == nullptr) {
    throw core::Error(core::ExitCode::refused,
                      "unknown target release " + version
                          + "; known releases: " + known_list(catalog),
                      {k_catalog_hint});
  }
  auto target = postal::target_from_release(*release);
  target.source = "--target-version";
  return target;
}

postal::MigrationTarget target_from_postal_app(const postal::ReleaseCatalog& catalog,
                                               const std::filesystem::path& dir) {
  const std::string version = read_version_file(dir);
  if (const postal::Release* release = catalog.find(version); release && !version.empty()) {
    auto target = postal::target_from_release(*release);
    target.source = "--postal-app " + dir.string() + " (VERSION)";
    return target;
  }
  if (std::filesystem::is_directory(dir / "db" / "migrate")) {
    return target_from_files(catalog, dir, version);
  }
  if (version.empty()) {
    throw core::Error(core::ExitCode::usage,
                      dir.string()
                          + " is not Postal's app directory: no VERSION file and no "
                            "db/migrate",
                      {"give the directory holding Postal's VERSION file, or --target-version V"});
  }
  throw core::Error(core::ExitCode::refused,
                    "Postal " + version + " (" + dir.string()
                        + "/VERSION) is not in the catalog and the directory has no db/migrate; "
                          "known releases: "
                        + known_list(catalog),
                    {k_catalog_hint});
}

postal::MigrationTarget target_from_server(const postal::ReleaseCatalog& catalog,
                                           core::db::Connection& connection,
                                           const std::string& main_db) {
  postal::MigrationTarget target;
  const auto where = "database " + main_db + " on " + connection.options().describe();
  try {
    for (const auto& row :
         connection
             .query("SELECT version FROM " + core::db::Connection::quote_identifier(main_db)
                    + ".schema_migrations")
             .rows()) {
      target.main_migrations.push_back(row.at(0).value_or(""));
    }
  } catch (const core::db::DbError& e) {
    if (e.mysql_errno() != k_no_such_table && e.mysql_errno() != k_no_such_database) {
      throw;
    }
  }
  if (target.main_migrations.empty()) {
    throw core::Error(core::ExitCode::refused,
                      "no target release: " + where + " holds no Postal schema_migrations",
                      {"run `postal initialize` of the target release first, or name it with "
                       "--target-version V or --postal-app DIR"});
  }
  std::sort(target.main_migrations.begin(),
            target.main_migrations.end(),
            [](const auto& a, const auto& b) { return core::compare_levels(a, b) < 0; });
  target.main_schema_level = target.main_migrations.back();
  const postal::Release* release = catalog.newest_at_main_level(target.main_schema_level);
  if (release == nullptr) {
    throw core::Error(core::ExitCode::refused,
                      "the target's main schema level " + target.main_schema_level + " (" + where
                          + ") is not in the catalog, so its message-DB migrations are unknown",
                      {"name the release with --target-version V", k_catalog_hint});
  }
  for (const auto& migration : release->message_db_migrations) {
    target.message_db_migrations.push_back(migration.number);
  }
  target.era = release->era();
  target.source = where;
  return target;
}

core::Error no_target_error() {
  return core::Error(core::ExitCode::refused,
                     "no target release: name it with --target-version V, --postal-app DIR, or "
                     "connection options of the target server");
}

} // namespace pbk::postal
