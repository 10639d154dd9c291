// SPDX-License-Identifier: MIT
#include "postal/release_catalog.hpp"

#include "cli/commands/commands.hpp"

#include <iomanip>
#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

// Levels that are numbers are written as numbers, as releases.json has them.
Json level_json(const std::string& level) {
  const bool number = !level.empty() && level.size() < 10
                      && level.find_first_not_of("0123456789") == std::string::npos;
  return number ? Json(std::stoi(level)) : Json(level);
}

// The --catalog file format, so the output can be edited and fed back with --catalog.
Json release_json(const postal::Release& release) {
  Json j;
  j["version"] = release.version;
  j["kind"] = release.is_1x ? "1.x-master" : "release";
  j["date"] = release.date;
  if (release.is_1x) {
    j["current_on_master_from"] = release.current_from;
    j["current_on_master_until"] = release.current_until;
  }
  j["main_migrations"] = Json::array();
  for (const auto& m : release.main_migrations) {
    j["main_migrations"].push_back({{"version", m.version}, {"name", m.name}});
  }
  j["message_db_migrations"] = Json::array();
  for (const auto& m : release.message_db_migrations) {
    j["message_db_migrations"].push_back({{"number", m.number}, {"name", m.name}});
  }
  j["main_schema_level"] = release.main_schema_level;
  j["message_db_schema_level"] = level_json(release.message_db_schema_level);
  j["main_schema_file"] = release.main_schema_file;
  j["message_db_schema_file"] = release.message_db_schema_file;
  return j;
}

void print_table(const postal::ReleaseCatalog& catalog) {
  std::cout << std::left << std::setw(36) << "version" << std::setw(12) << "date" << std::setw(16)
            << "main level" << std::setw(15) << "message level"
            << "migrations (main/message)\n";
  for (const auto& release : catalog.releases()) {
    std::cout << std::setw(36) << release.version << std::setw(12) << release.date << std::setw(16)
              << release.main_schema_level << std::setw(15) << release.message_db_schema_level
              << release.main_migrations.size() << "/" << release.message_db_migrations.size()
              << "\n";
  }
}

void run_catalog(const std::string& catalog_file, CommandContext& context) {
  const auto catalog = load_catalog(catalog_file);
  if (context.mode.json) {
    Json releases = Json::array();
    for (const auto& release : catalog.releases()) {
      releases.push_back(release_json(release));
    }
    print_json(releases);
  } else if (!context.mode.quiet) {
    print_table(catalog);
  }
}

} // namespace

postal::ReleaseCatalog load_catalog(const std::string& catalog_file) {
  auto catalog = postal::ReleaseCatalog::built_in();
  if (!catalog_file.empty()) {
    catalog.merge_file(catalog_file);
  }
  return catalog;
}

void add_catalog_command(CLI::App& app, CommandContext& context) {
  auto catalog_file = std::make_shared<std::string>();
  auto* command = app.add_subcommand("catalog", "List the Postal releases this binary knows");
  command->add_option("--catalog", *catalog_file, "JSON file adding or overriding releases");
  command->callback([catalog_file, &context] { run_catalog(*catalog_file, context); });
}

} // namespace pbk::cli
