// SPDX-License-Identifier: MIT
// The connection options every database command shares (DESIGN §2): Postal's own postal.yml,
// or --host/--port/--socket/--user; the password from --password-file, MYSQL_PWD or a
// --defaults-file, never from the command line (it would show in `ps` and shell history).
#pragma once

#include "cli/postal_config.hpp"
#include "core/db/connection_options.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pbk::cli {

struct ResolvedConnections {
  core::db::ConnectionOptions main;
  core::db::ConnectionOptions message;
  std::string main_db;
  std::string message_db_prefix;
};

class ConnectionArgs {
public:
  void add_to(CLI::App& command);
  [[nodiscard]] ResolvedConnections resolve() const;
  // Whether any connection option was given (commands where a server is optional).
  [[nodiscard]] bool given() const;
  // The options as given, --config first, for the commands a command prints as next steps
  // (a password file's path, never a password).
  [[nodiscard]] std::vector<std::string> given_options() const;
  // Postal's standard Docker install: --config names <root>/config/postal.yml and
  // <root>/install/docker-compose.yml exists (the layout Postal's installer makes in
  // /opt/postal). Its compose file then, else an empty path.
  [[nodiscard]] std::filesystem::path docker_compose_file() const;

private:
  void apply_overrides(core::db::ConnectionOptions& options) const;
  void warn_about(const PostalConfig& config) const;
  void explain_default_host(const DbEndpoint& endpoint, core::db::ConnectionOptions& options) const;

  std::string m_config;
  std::string m_host;
  std::optional<unsigned> m_port;
  std::string m_socket;
  std::string m_user;
  std::string m_password_file;
  std::string m_defaults_file;
  std::string m_main_db;
  std::string m_prefix;
  std::string m_password_on_command_line;
  CLI::Option* m_password_option = nullptr;
  const CLI::App* m_command = nullptr; // for --quiet, which silences the config's warnings
};

} // namespace pbk::cli
