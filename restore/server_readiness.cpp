// SPDX-License-Identifier: MIT
#include "restore/server_readiness.hpp"

#include "core/io/free_space.hpp"
#include "core/size_text.hpp"
#include "restore/journal.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace pbk::restore {
namespace {

using core::Finding;
using core::Severity;

std::string variable(const ServerVariables& variables, const std::string& name) {
  const auto found = variables.find(name);
  return found == variables.end() ? std::string() : found->second;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

Finding setting_finding(Severity severity,
                        const std::string& id,
                        const std::string& setting,
                        const std::string& value,
                        std::string message) {
  return {severity, id, setting, value, std::move(message), "", ""};
}

void add_fix(Finding& finding, const std::string& name, const std::string& value) {
  const auto fix = core::server_setting_fix(name, value);
  finding.fix = fix.fix;
  finding.docker = fix.docker;
}

Finding packet_finding(const ServerVariables& variables, std::uint64_t largest) {
  const auto needs = server_needs(largest, 0);
  const auto packet = numeric_variable(variables, "max_allowed_packet");
  if (!packet) {
    return setting_finding(
        Severity::info, "max_allowed_packet", "max_allowed_packet", "unknown", "not reported");
  }
  auto finding = setting_finding(Severity::ok,
                                 "max_allowed_packet",
                                 "max_allowed_packet",
                                 core::size_text(*packet),
                                 "holds the largest message (" + core::size_text(largest)
                                     + ") with room for its statement");
  if (*packet >= needs.max_allowed_packet) {
    return finding;
  }
  finding.severity = Severity::failure;
  finding.message = "smaller than the largest message on the server (" + core::size_text(largest)
                    + ", plus 1 MiB for its statement): a restore of a backup holding it is "
                      "refused, and the server cannot take the message back";
  add_fix(finding, "max_allowed_packet", needs.max_allowed_packet_setting);
  finding.fix += " (until then: SET GLOBAL max_allowed_packet = "
                 + std::to_string(std::stoull(needs.max_allowed_packet_setting) << 20) + ")";
  return finding;
}

Finding redo_finding(const ServerVariables& variables, std::uint64_t largest) {
  const auto capacity = numeric_variable(variables, "innodb_redo_log_capacity");
  const auto file_size = numeric_variable(variables, "innodb_log_file_size");
  const std::uint64_t files = numeric_variable(variables, "innodb_log_files_in_group").value_or(1);
  const std::string setting = capacity ? "innodb_redo_log_capacity" : "innodb_log_file_size";
  if (!capacity && !file_size) {
    return setting_finding(Severity::info, "redo_log", setting, "unknown", "not reported");
  }
  const std::uint64_t redo = capacity ? *capacity : *file_size * files;
  const std::uint64_t needed = server_needs(largest, 0).redo_log;
  auto finding = setting_finding(
      Severity::ok,
      "redo_log",
      setting,
      core::size_text(redo)
          + (capacity || files == 1 ? "" : " in " + std::to_string(files) + " files"),
      "at least ten times the largest message (" + core::size_text(largest) + ")");
  if (redo >= needed) {
    return finding;
  }
  finding.severity = Severity::failure;
  finding.message = "InnoDB refuses a row larger than a tenth of its redo log, and the largest "
                    "message on the server is "
                    + core::size_text(largest) + ": a restore of a backup holding it is refused";
  add_fix(finding, setting, setting_mib(capacity ? needed : (needed + files - 1) / files));
  return finding;
}

} // namespace

std::vector<Finding> judge_binary_log(const ServerVariables& variables) {
  const auto log_bin = lower(variable(variables, "log_bin"));
  if (log_bin != "on" && log_bin != "1") {
    Finding off = setting_finding(
        Severity::warning,
        "log_bin",
        "log_bin",
        log_bin.empty() ? "unknown" : log_bin,
        "binary logging is off: a restore brings back only the last backup, and the mail of the "
        "hours since is lost (with it on, each backup records its binary log position, from "
        "which mariadb-binlog replays the rest)");
    off.fix = "set log_bin = mariadb-bin and server_id = 1 in the [mysqld] section of the "
              "server's my.cnf and restart it";
    off.docker = "add --log-bin=mariadb-bin --server-id=1 to the server container's command "
                 "(docker run … mariadb --log-bin=mariadb-bin; compose: command: "
                 "--log-bin=mariadb-bin --server-id=1) and recreate it";
    return {off};
  }
  const auto format = variable(variables, "binlog_format");
  if (lower(format) == "statement") {
    Finding statement =
        setting_finding(Severity::warning,
                        "binlog_format",
                        "binlog_format",
                        format,
                        "statement-based logging: statements that are not deterministic (UUID(), "
                        "as in Postal's own migrations) replay differently from the binary log, "
                        "and a restore cannot load by bulk executions (slower)");
    add_fix(statement, "binlog_format", "ROW");
    return {statement};
  }
  return {setting_finding(Severity::ok, "log_bin", "log_bin", "ON", "binary logging is on"),
          setting_finding(Severity::ok,
                          "binlog_format",
                          "binlog_format",
                          format,
                          "every change replays exactly from the binary log")};
}

Finding judge_row_format(const ServerVariables& variables, std::optional<bool> postal3) {
  const auto found = variables.find("innodb_default_row_format");
  // Servers without the variable (MySQL before 5.7.9) create COMPACT tables.
  const std::string format = found == variables.end() ? "compact" : lower(found->second);
  auto finding = setting_finding(
      Severity::ok, "row_format", "innodb_default_row_format", format, "Postal 3.x needs dynamic");
  if (format == "dynamic") {
    return finding;
  }
  if (!postal3) {
    finding.severity = Severity::info;
    finding.message = "the install's Postal release is not known; Postal 3.x needs dynamic";
  } else if (!*postal3) {
    finding.message = "this Postal release does not need dynamic; Postal 3.x does (set it before "
                      "upgrading)";
    return finding;
  } else {
    finding.severity = Severity::failure;
    finding.message = "Postal 3.x's migrations fail on " + lower(format)
                      + " tables, and a restore into this server is refused";
  }
  add_fix(finding, "innodb_default_row_format", "dynamic");
  finding.fix += " (until then: SET GLOBAL innodb_default_row_format = 'dynamic')";
  return finding;
}

std::vector<Finding> judge_row_limits(const ServerVariables& variables,
                                      std::optional<std::uint64_t> largest_message) {
  if (!largest_message) {
    return {setting_finding(Severity::info,
                            "largest_message",
                            "messages.size",
                            "unknown",
                            "no message records its size: max_allowed_packet and the redo log "
                            "were not compared with it")};
  }
  return {packet_finding(variables, *largest_message), redo_finding(variables, *largest_message)};
}

bool is_local_server(const core::db::ConnectionOptions& options) {
  return !options.socket.empty() || options.host.empty() || options.host == "localhost"
         || options.host == "127.0.0.1" || options.host == "::1";
}

std::uint64_t stored_bytes(core::db::Connection& server,
                           const std::vector<std::string>& databases) {
  std::uint64_t total = 0;
  for (const auto& database : databases) {
    const auto value = server.query_value(
        "SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES WHERE "
        "TABLE_SCHEMA = "
        + server.quote(database));
    if (value) {
      total += std::strtoull(value->c_str(), nullptr, 10);
    }
  }
  return total;
}

Finding
judge_datadir_space(const ServerVariables& variables, bool local, std::uint64_t data_bytes) {
  const auto datadir = variable(variables, "datadir");
  core::SpaceNeed need;
  need.id = "datadir_free_space";
  need.path = datadir.empty() ? "datadir" : datadir;
  need.needed = data_bytes;
  need.needed_for = "a restore's second copy of Postal's data";
  need.fix = "free room on the file system of " + need.path
             + " (old binary logs: PURGE BINARY LOGS BEFORE …), or grow it";
  if (!local || datadir.empty()) {
    need.unknown = "the server's data directory is not on this machine (run doctor on the "
                   "database host to check it)";
  } else {
    const auto space = core::io::free_space(datadir);
    need.free = space.bytes;
    need.unknown = space.error;
  }
  return core::free_space_finding(need);
}

std::vector<Finding> judge_privileges(const Grants& grants,
                                      const std::vector<std::string>& databases) {
  std::vector<Finding> findings;
  const auto missing = missing_restore_privileges(grants, databases);
  Finding restore{Severity::ok,
                  "restore_privileges",
                  grants.grantee,
                  "all held",
                  "may run a restore of these databases",
                  "",
                  ""};
  if (!missing.empty()) {
    restore.severity = Severity::info;
    restore.value = "lacks " + missing;
    restore.message = "this user cannot restore"
                      + std::string(grants.role ? " (privileges of its role were not checked)" : "")
                      + "; restore as root or as Postal's own database user";
    restore.fix = "GRANT SELECT, INSERT, UPDATE, CREATE, DROP, ALTER ON *.* TO " + grants.grantee
                  + " (only if this user is to restore)";
  }
  findings.push_back(restore);
  Finding reload{Severity::ok,
                 "reload_privilege",
                 grants.grantee,
                 "RELOAD held",
                 "create reads on several connections at one instant (BACKUP STAGE)",
                 "",
                 ""};
  if (!grants.global.contains("RELOAD")) {
    reload.severity = Severity::warning;
    reload.value = "RELOAD missing";
    reload.message = "create cannot hold commits for the instant its connections share, and "
                     "reads the snapshot's tables on one connection (slower)";
    reload.fix = "GRANT RELOAD ON *.* TO " + grants.grantee;
  }
  findings.push_back(reload);
  Finding journal{Severity::ok,
                  "journal_select",
                  grants.grantee,
                  "SELECT on " + std::string(k_journal_database),
                  "create sees a restore that awaits migrations",
                  "",
                  ""};
  if (!grants.holds("SELECT", k_journal_database)) {
    journal.severity = Severity::warning;
    journal.value = "no SELECT on " + std::string(k_journal_database);
    journal.message = "create cannot see a restore that awaits migrations, and would archive "
                      "its half state as Postal's";
    journal.fix =
        "GRANT SELECT ON `" + std::string(k_journal_database) + "`.* TO " + grants.grantee;
  }
  findings.push_back(journal);
  return findings;
}

} // namespace pbk::restore
