// SPDX-License-Identifier: MIT
#include "cli/help_text.hpp"

#include "cli/command_typos.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <map>

namespace pbk::cli {
namespace {

constexpr const char* k_exit_codes =
    R"(Exit codes (the same for every command; any other code means failure):
  0  success
  1  runtime error (database, disk, network)
  2  usage error
  3  migrations pending (plan, schema check; a restore will not finish)
  4  integrity failure (damaged archive; schema check: structure drift)
  5  refused by policy (downgrade, unknown release, Postal connected, target not empty)
  130 interrupted (SIGINT/SIGTERM); nothing was kept

'postal-backup help COMMAND' shows a command's options and examples.)";

constexpr const char* k_exit_codes_pointer =
    "Exit codes are the same for every command: 'postal-backup help' lists them.";

// What an option's value is, by the option's name; any other number is N.
const std::map<std::string, std::string>& metavars() {
  static const std::map<std::string, std::string> names{
      {"archive", "FILE"},
      {"canonical", ""},
      {"catalog", "FILE"},
      {"chunk-size", "MIB"},
      {"config", "FILE"},
      {"command", "COMMAND"},
      {"config-dest", "DIR"},
      {"database", "NAME"},
      {"databases", "NAME,..."},
      {"defaults-file", "FILE"},
      {"directory", "DIR"},
      {"host", "HOST"},
      {"include-config", "DIR"},
      {"keep-tag", "TAG"},
      {"key-file", "FILE"},
      {"load-method", "bulk|load-data|insert"},
      {"lock-wait", "SECONDS"},
      {"main-db", "NAME"},
      {"message-db-prefix", "PREFIX"},
      {"metrics-file", "FILE"},
      {"migrate-with", "CMD"},
      {"output", "FILE|-"},
      {"output-dir", "DIR"},
      {"passphrase-file", "FILE"},
      {"password-file", "FILE"},
      {"port", "PORT"},
      {"postal-app", "DIR"},
      {"postal-compose", "FILE"},
      {"postal-version", "VERSION"},
      {"public-key", "FILE"},
      {"raw-days", "N"},
      {"raw-since", "DATE"},
      {"run-scheduled", "CMD"},
      {"schedule-migrations", "CMD"},
      {"sign-key", "FILE"},
      {"socket", "PATH"},
      {"tag", "TAG"},
      {"target-version", "VERSION"},
      {"user", "USER"},
  };
  return names;
}

// "FILE", "N [1 - 19]": the metavar, and the range CLI11 would show as "INT in [1 - 19]".
std::string metavar(const CLI::Option& option) {
  const auto& name = option.get_positional() ? option.get_name() : option.get_lnames().front();
  const auto known = metavars().find(name);
  std::string text = known != metavars().end() ? known->second : "N";
  const auto type = option.get_type_name();
  const auto open = type.find('[');
  if (open != std::string::npos) {
    text += " " + type.substr(open, type.find(']', open) + 1 - open);
  }
  return text;
}

void set_metavars(CLI::App& app) {
  for (auto* option : app.get_options()) {
    // A flag takes no value (CLI11's add_flag sets expected(0)).
    if (option->get_expected_max() == 0
        || (option->get_lnames().empty() && !option->get_positional())) {
      continue; // a flag, or -h
    }
    option->option_text(metavar(*option)
                        + (option->get_positional() && option->get_required() ? " REQUIRED" : ""));
  }
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    set_metavars(*sub);
  }
}

// A few command lines per command, as an operator would type them.
const std::map<std::string, std::vector<std::string>>& examples() {
  static const std::map<std::string, std::vector<std::string>> lines{
      {"create",
       {"postal-backup create --config /opt/postal/config/postal.yml --output-dir "
        "/var/backups/postal",
        "postal-backup create --socket /run/mysqld/mysqld.sock --output-dir /var/backups/postal "
        "--prune --keep-daily 7 --keep-weekly 4",
        "postal-backup create --config /opt/postal/config/postal.yml --output-dir "
        "/var/backups/postal --incremental --prune --keep-daily 14",
        "postal-backup create --config /opt/postal/config/postal.yml --encrypt --key-file "
        "/etc/postal-backup/archive.key --output - > postal.tar"}},
      {"verify",
       {"postal-backup verify /var/backups/postal/NAME.tar",
        "postal-backup verify --key-file /etc/postal-backup/archive.key NAME.tar",
        "postal-backup --json verify --public-key /etc/postal-backup/sign.pub NAME.tar"}},
      {"inspect",
       {"postal-backup inspect /var/backups/postal/NAME.tar",
        "postal-backup --json inspect --key-file /etc/postal-backup/archive.key NAME.tar"}},
      {"catalog",
       {"postal-backup catalog", "postal-backup --json catalog --catalog releases.json"}},
      {"plan",
       {"postal-backup plan NAME.tar --target-version 3.3.4",
        "postal-backup plan NAME.tar --config /opt/postal/config/postal.yml"}},
      {"restore",
       {"postal-backup restore NAME.tar --config /opt/postal/config/postal.yml",
        "postal-backup restore NAME.tar --socket /run/mysqld/mysqld.sock --target-version 3.3.4 "
        "--migrate-with 'postal upgrade'",
        "postal-backup restore NAME.tar --host 127.0.0.1 --user root --password-file "
        "/root/db.pass --config-dest /opt/postal/config",
        "postal-backup restore NAME.tar --config /opt/postal/config/postal.yml --without-raw",
        "postal-backup restore NAME.tar --config /opt/postal/config/postal.yml --add-raw "
        "--raw-days 30"}},
      {"finish",
       {"postal-backup finish --config /opt/postal/config/postal.yml",
        "postal-backup finish --socket /run/mysqld/mysqld.sock --keep-previous"}},
      {"status",
       {"postal-backup status --config /opt/postal/config/postal.yml",
        "postal-backup status --config /opt/postal/config/postal.yml --run-scheduled "
        "'postal upgrade'"}},
      {"rollback",
       {"postal-backup rollback --config /opt/postal/config/postal.yml",
        "postal-backup rollback --socket /run/mysqld/mysqld.sock --lock-wait 120"}},
      {"drill",
       {"postal-backup drill /var/backups/postal --socket /run/mysqld/mysqld.sock",
        "postal-backup drill NAME.tar --config /opt/postal/config/postal.yml --metrics-file "
        "/var/lib/prometheus/node-exporter/postal_backup_drill.prom",
        "postal-backup drill NAME.tar --host 127.0.0.1 --target-version 3.3.4 --migrate-with "
        "'docker run --rm --network host -v /opt/postal/config:/config -e MAIN_DB_DATABASE -e "
        "MESSAGE_DB_DATABASE_NAME_PREFIX ghcr.io/postalserver/postal:3.3.4 postal upgrade'"}},
      {"doctor",
       {"postal-backup doctor --config /opt/postal/config/postal.yml --output-dir "
        "/var/backups/postal",
        "postal-backup doctor --socket /run/mysqld/mysqld.sock --output-dir /var/backups/postal "
        "--metrics-file /var/lib/prometheus/node-exporter/postal_backup.prom --metrics-file "
        "/var/lib/prometheus/node-exporter/postal_backup_drill.prom",
        "postal-backup --json doctor --config /opt/postal/config/postal.yml"}},
      {"list",
       {"postal-backup list /var/backups/postal",
        "postal-backup list --verify --public-key /etc/postal-backup/sign.pub "
        "/var/backups/postal"}},
      {"prune",
       {"postal-backup prune /var/backups/postal --keep-daily 7 --keep-weekly 4 --dry-run",
        "postal-backup prune /var/backups/postal --keep-last 3 --keep-tag before-upgrade"}},
      {"schema",
       {"postal-backup schema check --config /opt/postal/config/postal.yml",
        "postal-backup schema hash --socket /run/mysqld/mysqld.sock"}},
      {"schema hash",
       {"postal-backup schema hash --config /opt/postal/config/postal.yml",
        "postal-backup schema hash --socket /run/mysqld/mysqld.sock --database postal "
        "--canonical"}},
      {"schema check",
       {"postal-backup schema check --config /opt/postal/config/postal.yml",
        "postal-backup schema check --socket /run/mysqld/mysqld.sock --target-version 3.3.4"}},
      {"export",
       {"postal-backup export /var/backups/postal/NAME.tar --output /mnt/offsite/NAME.tar",
        "postal-backup export --public-key /etc/postal-backup/sign.pub NAME.tar --output - | "
        "rclone rcat remote:postal/NAME.tar"}},
      {"help", {"postal-backup help restore", "postal-backup help schema check"}},
  };
  return lines;
}

std::string command_path(const CLI::App& app) {
  std::string path;
  for (const auto* at = &app; at->get_parent() != nullptr; at = at->get_parent()) {
    path = at->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

void set_footers(CLI::App& app) {
  for (auto* sub : app.get_subcommands([](CLI::App* s) { return !s->get_name().empty(); })) {
    std::string footer;
    const auto found = examples().find(command_path(*sub));
    if (found != examples().end()) {
      footer = "Examples:\n";
      for (const auto& line : found->second) {
        footer += "  " + line + "\n";
      }
      footer += "\n";
    }
    sub->footer(footer + k_exit_codes_pointer);
    set_footers(*sub);
  }
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub :
       app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); })) {
    names.push_back(sub->get_name());
  }
  return names;
}

} // namespace

void describe_commands(CLI::App& app) {
  app.footer(k_exit_codes);
  set_metavars(app);
  set_footers(app);
}

std::vector<std::string> command_names(const CLI::App& app) {
  return subcommand_names(app);
}

std::string help_for(const CLI::App& app, const std::vector<std::string>& words) {
  const CLI::App* target = &app;
  for (const auto& word : words) {
    const auto names = subcommand_names(*target);
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      throw core::Error(core::ExitCode::usage,
                        unknown_command_message(word, command_path(*target), names),
                        {"'postal-backup help' lists the commands"});
    }
    target = target->get_subcommand(word);
  }
  const auto path = command_path(*target);
  return target->get_formatter()->make_help(
      target, "postal-backup" + (path.empty() ? "" : " " + path), CLI::AppFormatMode::Normal);
}

} // namespace pbk::cli
