// SPDX-License-Identifier: MIT
#include "restore/preflight.hpp"

#include "core/error.hpp"
#include "restore/privileges.hpp"

#include <sys/statvfs.h>

#include <cerrno>
#include <charconv>
#include <limits>
#include <map>
#include <optional>

namespace pbk::restore {
namespace {

constexpr std::uint64_t k_mib = 1ull << 20;
// Room for the INSERT around a row (and LOAD DATA's packet overhead).
constexpr std::uint64_t k_statement_room = k_mib;
// InnoDB refuses a row whose BLOB data exceeds a tenth of the redo log.
constexpr std::uint64_t k_redo_factor = 10;

using Variables = ServerVariables;

} // namespace

ServerVariables read_server_variables(core::db::Connection& target) {
  // SHOW ... WHERE, not SELECT @@x: a variable missing on this server (innodb_log_files_in_group
  // is gone from MariaDB 10.11, innodb_redo_log_capacity exists only on MySQL 8.0.30+) is
  // simply absent instead of failing the query. GLOBAL: the session copy of
  // max_allowed_packet is what the server had when we connected, not what Postal gets.
  Variables variables;
  for (const auto& row :
       target
           .query("SHOW GLOBAL VARIABLES WHERE Variable_name IN"
                  " ('max_allowed_packet', 'innodb_log_file_size', 'log_bin', 'binlog_format',"
                  " 'innodb_log_files_in_group', 'innodb_redo_log_capacity',"
                  " 'innodb_default_row_format', 'datadir')")
           .rows()) {
    if (row.size() >= 2 && row[0] && row[1]) {
      variables[*row[0]] = *row[1];
    }
  }
  return variables;
}

std::optional<std::uint64_t> numeric_variable(const Variables& variables, const std::string& name) {
  const auto found = variables.find(name);
  std::uint64_t value = 0;
  if (found == variables.end()) {
    return std::nullopt;
  }
  const auto& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The next power of two in MiB; sizes come from an archive's manifest, so no size may make
// the arithmetic wrap (a doubling past 2^64 MiB bytes never ended).
std::string setting_mib(std::uint64_t bytes) {
  const std::uint64_t needed = bytes / k_mib + (bytes % k_mib != 0 ? 1 : 0);
  std::uint64_t mib = 1;
  while (mib < needed && mib <= std::numeric_limits<std::uint64_t>::max() / 2) {
    mib *= 2;
  }
  return std::to_string(mib) + "M";
}

namespace {

core::Error refused(std::string message, std::vector<std::string> hints) {
  return core::Error(core::ExitCode::refused, std::move(message), std::move(hints));
}

void check_packet(const Variables& variables, std::uint64_t largest_row) {
  const auto packet = numeric_variable(variables, "max_allowed_packet");
  const auto needs = server_needs(largest_row, 0);
  if (largest_row == 0 || !packet || *packet >= needs.max_allowed_packet) {
    return;
  }
  const std::string& setting = needs.max_allowed_packet_setting;
  throw refused("the target server's max_allowed_packet is " + size_text(*packet)
                    + " but the backup holds a " + size_text(largest_row)
                    + " row (a row needs its size plus 1 MiB)",
                {"set max_allowed_packet=" + setting
                     + " in the server's config ([mysqld] section) and restart it; Postal "
                       "needs it too to read such a row",
                 "until a restart, SET GLOBAL max_allowed_packet="
                     + std::to_string(std::stoull(setting) * k_mib) + " also works"});
}

void check_redo_log(const Variables& variables, std::uint64_t largest_row) {
  const auto capacity = numeric_variable(variables, "innodb_redo_log_capacity");
  const auto file_size = numeric_variable(variables, "innodb_log_file_size");
  const std::uint64_t files = numeric_variable(variables, "innodb_log_files_in_group").value_or(1);
  if (largest_row == 0 || (!capacity && !file_size)) {
    return;
  }
  const std::uint64_t redo = capacity ? *capacity : *file_size * files;
  const std::uint64_t needed = server_needs(largest_row, 0).redo_log;
  if (needed <= redo) {
    return;
  }
  const std::string hint =
      capacity ? "set innodb_redo_log_capacity=" + setting_mib(needed)
               : "set innodb_log_file_size=" + setting_mib((needed + files - 1) / files);
  throw refused("the target server's InnoDB redo log is " + size_text(redo)
                    + " but the backup holds a " + size_text(largest_row)
                    + " row; InnoDB refuses a row larger than a tenth of its redo log",
                {hint + " in the server's config ([mysqld] section) and restart it"});
}

void check_row_format(const Variables& variables, bool postal3_target) {
  if (!postal3_target) {
    return;
  }
  const auto found = variables.find("innodb_default_row_format");
  // Servers without the variable (MySQL before 5.7.9) create COMPACT tables.
  const std::string format = found == variables.end() ? "compact" : found->second;
  if (format == "dynamic" || format == "DYNAMIC") {
    return;
  }
  throw refused("the target server's innodb_default_row_format is " + format
                    + " but Postal 3 needs dynamic: its migrations fail on "
                    + (format == "redundant" ? "REDUNDANT" : "COMPACT") + " tables",
                {"set innodb_default_row_format=dynamic in the server's config ([mysqld] "
                 "section), or run SET GLOBAL innodb_default_row_format='dynamic'"});
}

void check_free_space(const Variables& variables,
                      const PreflightInput& input,
                      std::vector<std::string>& warnings) {
  if (input.raw_bytes == 0) {
    return;
  }
  if (!input.connected_locally) {
    warnings.push_back("free space on the target server was not checked: its data directory is "
                       "not on this machine");
    return;
  }
  const auto found = variables.find("datadir");
  const std::string datadir = found == variables.end() ? "" : found->second;

  struct statvfs fs {};

  if (datadir.empty() || ::statvfs(datadir.c_str(), &fs) != 0) {
    const int err = datadir.empty() ? ENOENT : errno;
    warnings.push_back("free space on the target server was not checked: "
                       + core::describe_errno("cannot read its data directory " + datadir, err));
    return;
  }
  const std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
  const std::string where =
      "the target server's data directory " + datadir + " has " + size_text(free) + " free";
  if (free < input.raw_bytes) {
    throw refused(where + " but the backup holds " + size_text(input.raw_bytes)
                      + " of data; the restored copy needs that much while the live one exists",
                  {"free at least " + size_text(input.raw_bytes - free) + " on the file system of "
                   + datadir + ", or restore into a server with more room"});
  }
  if (free / 2 < input.raw_bytes) {
    warnings.push_back(where + ", less than twice the backup's " + size_text(input.raw_bytes)
                       + " of data: indexes and logs may fill it during the restore");
  }
}

// "10.11.19-MariaDB-0+deb12u1" -> {10, 11}; nullopt when it does not start with major.minor.
std::optional<std::pair<unsigned, unsigned>> major_minor(std::string_view version) {
  unsigned major = 0;
  unsigned minor = 0;
  const char* end = version.data() + version.size();
  const auto first = std::from_chars(version.data(), end, major);
  if (first.ec != std::errc() || first.ptr == end || *first.ptr != '.') {
    return std::nullopt;
  }
  const auto second = std::from_chars(first.ptr + 1, end, minor);
  if (second.ec != std::errc()) {
    return std::nullopt;
  }
  return std::pair{major, minor};
}

} // namespace

void check_server_version(std::string_view version, bool mariadb) {
  // Old replication clients needed MariaDB to pose as 5.5.5; some connectors still show it.
  if (version.starts_with("5.5.5-")) {
    version.remove_prefix(6);
    mariadb = true;
  }
  mariadb = mariadb || version.find("MariaDB") != std::string_view::npos;
  const auto parsed = major_minor(version);
  const std::string shown(version.substr(0, version.find('-')));
  const std::vector<std::string> hints{
      "Postal needs MariaDB 10.3 or later or MySQL 5.7 or later: upgrade the server, or restore "
      "into one that Postal supports"};
  if (!parsed) {
    throw refused("the target server's version " + std::string(version)
                      + " is not one postal-backup can read",
                  hints);
  }
  const auto needed = mariadb ? std::pair{10u, 3u} : std::pair{5u, 7u};
  if (*parsed < needed) {
    throw refused("the target server is " + std::string(mariadb ? "MariaDB " : "MySQL ") + shown
                      + " but Postal needs " + (mariadb ? "MariaDB 10.3" : "MySQL 5.7")
                      + " or later",
                  hints);
  }
}

ServerNeeds server_needs(std::uint64_t largest_row, std::uint64_t raw_bytes) {
  ServerNeeds needs;
  constexpr auto k_max = std::numeric_limits<std::uint64_t>::max();
  needs.max_allowed_packet =
      largest_row > k_max - k_statement_room ? k_max : largest_row + k_statement_room;
  needs.max_allowed_packet_setting = setting_mib(needs.max_allowed_packet);
  needs.redo_log = largest_row > k_max / k_redo_factor ? k_max : largest_row * k_redo_factor;
  needs.redo_log_setting = setting_mib(needs.redo_log);
  needs.free_space = raw_bytes;
  return needs;
}

PreflightReport preflight(core::db::Connection& target, const PreflightInput& input) {
  PreflightReport report;
  report.server_version = target.server_version();
  check_server_version(report.server_version, target.is_mariadb());
  report.warnings = check_privileges(target, input.databases);
  const Variables variables = read_server_variables(target);
  check_packet(variables, input.largest_row);
  check_redo_log(variables, input.largest_row);
  check_row_format(variables, input.postal3_target);
  if (input.largest_row == 0 || input.raw_bytes == 0) {
    report.warnings.push_back("the archive's row and data sizes are not known before reading it "
                              "(read from a pipe): sizes are checked as rows arrive");
  }
  check_free_space(variables, input, report.warnings);
  return report;
}

} // namespace pbk::restore
