// SPDX-License-Identifier: MIT
#include "postal/schema_hash.hpp"

#include "cli/commands/schema_command.hpp"
#include "core/error.hpp"

#include <iostream>
#include <memory>

namespace pbk::cli {
namespace {

struct SchemaHashArgs {
  ConnectionArgs connection;
  std::string database;
  bool canonical = false;
};

bool same_server(const core::db::ConnectionOptions& a, const core::db::ConnectionOptions& b) {
  return a.host == b.host && a.port == b.port && a.socket == b.socket && a.user == b.user
         && a.defaults_file == b.defaults_file && a.password == b.password;
}

// --database names one database; it is read on the message server when its name is a
// message database's, so two-server installs work without naming the server.
std::vector<postal::PostalDatabase> chosen_databases(LiveInstall& install,
                                                     const SchemaHashArgs& args) {
  if (!args.database.empty()) {
    const bool message =
        postal::message_db_server_id(args.database, install.resolved.message_db_prefix).has_value();
    const std::size_t index = message ? install.connections.size() - 1 : 0;
    return {{args.database,
             message ? archive::DatabaseRole::message : archive::DatabaseRole::main,
             std::nullopt,
             index}};
  }
  if (args.canonical) {
    return {install.databases.front()}; // one text at a time, so diff can compare two servers
  }
  return install.databases;
}

void run_schema_hash(const SchemaHashArgs& args, CommandContext& context) {
  // A named database may be any database (e.g. a scratch copy), so the install is not searched.
  auto install = connect_install(args.connection, args.database.empty());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& database : chosen_databases(install, args)) {
    const auto schema = postal::load_schema(install.connection_for(database), database.name);
    const auto canonical = postal::canonical_schema(schema);
    const auto hash = postal::schema_hash(schema);
    if (context.mode.json) {
      nlohmann::ordered_json entry = {{"name", database.name}, {"schema_hash", hash}};
      if (args.canonical) {
        entry["canonical"] = canonical;
      }
      list.push_back(entry);
    } else if (args.canonical) {
      std::cout << canonical;
    } else {
      std::cout << hash << "  " << database.name << '\n';
    }
  }
  if (context.mode.json) {
    print_json({{"databases", list}});
  }
}

} // namespace

LiveInstall connect_install(const ConnectionArgs& args, bool discover) {
  LiveInstall install;
  install.resolved = args.resolve();
  const bool one_server = same_server(install.resolved.main, install.resolved.message);
  auto main_options = install.resolved.main;
  if (one_server) {
    main_options.role = "database server"; // it serves main and message databases alike
  }
  install.connections.push_back(core::db::Connection::connect(main_options));
  if (!one_server) {
    install.connections.push_back(core::db::Connection::connect(install.resolved.message));
  }
  if (discover) {
    postal::DatabaseSelection selection;
    selection.main_db = install.resolved.main_db;
    selection.message_db_prefix = install.resolved.message_db_prefix;
    install.databases = postal::find_postal_databases(install.connections.front(),
                                                      install.connections.back(),
                                                      install.connections.size() - 1,
                                                      selection);
  }
  return install;
}

void add_schema_command(CLI::App& app, CommandContext& context) {
  auto* schema = app.add_subcommand("schema", "Hash or check the schema of a live Postal install");
  schema->require_subcommand(1);

  auto hash_args = std::make_shared<SchemaHashArgs>();
  auto* hash = schema->add_subcommand(
      "hash", "Print the schema hash of each database (main first), or its canonical text");
  hash_args->connection.add_to(*hash);
  hash->add_option("--database", hash_args->database, "only this database");
  hash->add_flag("--canonical",
                 hash_args->canonical,
                 "print the canonical text that is hashed (the main database unless --database)");
  hash->callback([hash_args, &context] { run_schema_hash(*hash_args, context); });

  auto check_args = std::make_shared<SchemaCheckArgs>();
  auto* check = schema->add_subcommand(
      "check", "Check each database's recorded level and structure against the expected schema");
  check_args->connection.add_to(*check);
  check->add_option("--target-version",
                    check_args->target_version,
                    "Postal release to check against (default: the newest at the recorded level)");
  check->add_option("--catalog", check_args->catalog_file, "extra releases (docs/catalog.md)");
  check->callback([check_args, &context] { run_schema_check(*check_args, context); });
}

} // namespace pbk::cli
