// SPDX-License-Identifier: MIT
#include "cli/connection_args.hpp"

#include "cli/postal_config.hpp"
#include "core/error.hpp"
#include "core/printable.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

extern char** environ;

namespace pbk::cli {
namespace {

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string::npos) {
      env[text.substr(0, eq)] = text.substr(eq + 1);
    }
  }
  return env;
}

std::string read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw core::Error(core::ExitCode::usage,
                      "cannot read the password file " + path,
                      {"check the path given to --password-file and that it is readable"});
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string password = text.str();
  // Files written by `echo` end in a newline that is not part of the password.
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
    password.pop_back();
  }
  return password;
}

core::db::ConnectionOptions from_endpoint(const DbEndpoint& endpoint, const char* role) {
  core::db::ConnectionOptions options;
  options.host = endpoint.host;
  options.port = endpoint.port;
  options.user = endpoint.username;
  options.password = endpoint.password;
  options.role = role;
  return options;
}

} // namespace

void ConnectionArgs::add_to(CLI::App& command) {
  m_command = &command;
  auto* group = command.add_option_group("Connection");
  group->add_option("--config", m_config, "Postal's postal.yml (1.x/2.x or 3.x format)");
  group->add_option("--host", m_host, "database server host");
  group->add_option("--port", m_port, "database server port");
  group->add_option("--socket", m_socket, "database server Unix socket");
  group->add_option("--user", m_user, "database user");
  group->add_option("--password-file", m_password_file, "file holding the password");
  group->add_option("--defaults-file", m_defaults_file, "my.cnf-style option file ([client])");
  group->add_option("--main-db", m_main_db, "Postal's main database (default postal)");
  group->add_option("--message-db-prefix", m_prefix, "message database prefix (default postal)");
  // Accepted only to refuse it with a useful message instead of "unknown option".
  m_password_option = group->add_option("--password", m_password_on_command_line)->group("");
}

void ConnectionArgs::apply_overrides(core::db::ConnectionOptions& options) const {
  if (!m_host.empty()) {
    options.host = m_host;
  }
  if (m_port) {
    options.port = *m_port;
  }
  if (!m_socket.empty()) {
    options.socket = m_socket;
  }
  if (!m_user.empty()) {
    options.user = m_user;
  }
  options.defaults_file = m_defaults_file;
  if (!m_password_file.empty()) {
    options.password = read_password_file(m_password_file);
  } else if (const char* env = std::getenv("MYSQL_PWD"); env && m_config.empty()) {
    options.password = std::string(env);
  }
}

// Printed here, before any work: the command continues with what the file does say.
void ConnectionArgs::warn_about(const PostalConfig& config) const {
  const CLI::App* root = m_command;
  while (root != nullptr && root->get_parent() != nullptr) {
    root = root->get_parent();
  }
  const auto* quiet = root != nullptr ? root->get_option_no_throw("--quiet") : nullptr;
  if (quiet != nullptr && quiet->count() > 0) {
    return;
  }
  for (const auto& warning : config.warnings) {
    std::cerr << "postal-backup: warning: " << core::printable(warning) << '\n';
  }
}

// Postal 3.x's default host is "localhost", which the client library takes as the local
// socket: right on a host install, never for a database in Docker's network.
void ConnectionArgs::explain_default_host(const DbEndpoint& endpoint,
                                          core::db::ConnectionOptions& options) const {
  if (endpoint.host_given || !m_host.empty() || !m_socket.empty()) {
    return;
  }
  options.unreachable_hints.push_back(
      "the host '" + endpoint.host + "' is Postal 3.x's default: " + m_config + " sets no "
      + options.role + ".host (nor "
      + (options.role == "main_db" ? "MAIN_DB_HOST" : "MESSAGE_DB_HOST")
      + "), and 'localhost' means the local socket; for a database in Docker add --host 127.0.0.1");
}

bool ConnectionArgs::given() const {
  return !m_config.empty() || !m_host.empty() || m_port.has_value() || !m_socket.empty()
         || !m_user.empty() || !m_password_file.empty() || !m_defaults_file.empty()
         || !m_main_db.empty() || !m_prefix.empty() || !m_password_on_command_line.empty();
}

std::vector<std::string> ConnectionArgs::given_options() const {
  std::vector<std::string> words;
  const auto add = [&words](const char* option, const std::string& value) {
    if (!value.empty()) {
      words.insert(words.end(), {option, value});
    }
  };
  add("--config", m_config);
  add("--host", m_host);
  add("--port", m_port ? std::to_string(*m_port) : std::string());
  add("--socket", m_socket);
  add("--user", m_user);
  add("--password-file", m_password_file);
  add("--defaults-file", m_defaults_file);
  add("--main-db", m_main_db);
  add("--message-db-prefix", m_prefix);
  return words;
}

std::filesystem::path ConnectionArgs::docker_compose_file() const {
  if (m_config.empty()) {
    return {};
  }
  const auto config = std::filesystem::absolute(m_config).lexically_normal();
  if (config.parent_path().filename() != "config") {
    return {};
  }
  auto compose = config.parent_path().parent_path() / "install" / "docker-compose.yml";
  std::error_code error;
  return std::filesystem::is_regular_file(compose, error) ? compose : std::filesystem::path();
}

ResolvedConnections ConnectionArgs::resolve() const {
  if (m_password_option != nullptr && m_password_option->count() > 0) {
    throw core::Error(core::ExitCode::usage,
                      "a password is never taken from the command line (it would show in ps and "
                      "the shell history)",
                      {"use --password-file FILE, the MYSQL_PWD environment variable, or "
                       "--defaults-file with a [client] password"});
  }
  ResolvedConnections resolved;
  resolved.main_db = "postal";
  resolved.message_db_prefix = "postal";
  if (!m_config.empty()) {
    const PostalConfig config = load_postal_config(m_config, environment());
    warn_about(config);
    resolved.main = from_endpoint(config.main_db, "main_db");
    resolved.message = from_endpoint(config.message_db, "message_db");
    if (config.format_version == 2) {
      explain_default_host(config.main_db, resolved.main);
      explain_default_host(config.message_db, resolved.message);
    }
    resolved.main_db = config.main_database;
    resolved.message_db_prefix = config.message_db_prefix;
  } else {
    resolved.main.role = "main_db";
    resolved.message.role = "message_db";
  }
  apply_overrides(resolved.main);
  apply_overrides(resolved.message);
  if (!m_main_db.empty()) {
    resolved.main_db = m_main_db;
  }
  if (!m_prefix.empty()) {
    resolved.message_db_prefix = m_prefix;
  }
  return resolved;
}

} // namespace pbk::cli
