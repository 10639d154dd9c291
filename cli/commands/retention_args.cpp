// SPDX-License-Identifier: MIT
#include "cli/commands/retention_args.hpp"

#include "verify/verify_job.hpp"

#include "core/error.hpp"

#include <iostream>

namespace pbk::cli {
namespace {

using Json = nlohmann::ordered_json;

Json optional_json(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}

std::string action_of(const repository::PruneEntry& entry, bool dry_run) {
  if (entry.keep) {
    return "keep";
  }
  if (entry.remove_error) {
    return "FAILED to remove";
  }
  return dry_run ? "would remove" : "removed";
}

} // namespace

void RetentionArgs::add_to(CLI::App& command) {
  command.add_option("--keep-last", parsed.keep_last, "keep the newest N backups");
  command.add_option("--keep-daily", parsed.keep_daily, "keep the newest backup of each of N days");
  command.add_option("--keep-weekly", parsed.keep_weekly, "… of each of N ISO weeks");
  command.add_option("--keep-monthly", parsed.keep_monthly, "… of each of N months");
  command.add_option("--keep-yearly", parsed.keep_yearly, "… of each of N years");
  command
      .add_option("--keep-tag", parsed.keep_tags, "keep every backup with this tag (repeatable)")
      ->expected(1)
      ->take_all();
  command.add_option("--keep-per-version",
                     parsed.keep_per_version,
                     "keep the newest N backups of each main schema level");
}

Json backup_file_json(const repository::BackupFile& file) {
  Json j;
  j["file"] = file.name;
  j["state"] = repository::to_string(file.state);
  j["problem"] = file.problem.empty() ? Json(nullptr) : Json(file.problem);
  j["size"] = file.size;
  j["untrusted_date"] = optional_json(file.untrusted_date);
  j["signature_error"] = optional_json(file.signature_error);
  if (!file.info) {
    j["created_at"] = nullptr;
    return j;
  }
  const auto& info = *file.info;
  j["created_at"] = info.created_at;
  j["finished_at"] = optional_json(file.finished_at);
  j["tag"] = optional_json(info.tag);
  j["postal_version"] = optional_json(info.postal.version);
  j["release_range"] = optional_json(info.postal.release_range);
  j["main_schema_level"] = info.postal.main_schema_level;
  j["message_levels"] = repository::message_levels(info);
  j["databases"] = info.databases.size();
  j["encrypted"] = info.encryption.has_value();
  j["signed"] = file.manifest_signed;
  return j;
}

Json ignored_json(const std::vector<repository::IgnoredFile>& files) {
  Json list = Json::array();
  for (const auto& file : files) {
    list.push_back({{"file", file.name}, {"reason", file.reason}});
  }
  return list;
}

Json prune_json(const repository::PruneReport& report) {
  Json entries = Json::array();
  for (const auto& entry : report.entries) {
    Json j = backup_file_json(entry.file);
    j["keep"] = entry.keep;
    j["reasons"] = entry.reasons;
    j["verified"] = entry.verified ? "ok" : entry.verify_error ? "failed" : "not_checked";
    j["verify_error"] = optional_json(entry.verify_error);
    j["removed"] = entry.removed;
    j["remove_error"] = optional_json(entry.remove_error);
    entries.push_back(std::move(j));
  }
  Json store = nullptr;
  if (report.store) {
    const auto& s = *report.store;
    store = {{"members", s.members},
             {"bytes", s.bytes},
             {"freed_members", s.freed_members},
             {"freed_bytes", s.freed_bytes},
             {"leftovers_removed", s.leftovers},
             {"held", optional_json(s.held)}};
  }
  return {{"directory", report.directory.string()},
          {"dry_run", report.dry_run},
          {"newest_intact", optional_json(report.newest_intact)},
          {"backups", entries},
          {"ignored", ignored_json(report.ignored)},
          {"store", store}};
}

void print_prune_report(const repository::PruneReport& report) {
  const HumanText escaped(std::cout);
  for (const auto& entry : report.entries) {
    std::cout << action_of(entry, report.dry_run) << "  " << entry.file.name;
    std::string separator = "  (";
    for (const auto& reason : entry.reasons) {
      std::cout << separator << reason;
      separator = "; ";
    }
    std::cout << (entry.reasons.empty() ? "" : ")");
    if (entry.remove_error) {
      std::cout << ": " << *entry.remove_error;
    }
    std::cout << '\n';
  }
  for (const auto& file : report.ignored) {
    std::cout << "ignored  " << file.name << ": " << file.reason << '\n';
  }
  if (!report.newest_intact) {
    std::cout << "no backup in " << report.directory.string() << " passed verify\n";
  }
  if (report.store && !report.store->held) {
    const auto& s = *report.store;
    std::cout << (report.dry_run ? "would free " : "freed ") << human_bytes(s.freed_bytes) << " ("
              << s.freed_members << " of " << s.members << " stored members"
              << (s.leftovers > 0 ? ", " + std::to_string(s.leftovers) + " leftovers of killed runs"
                                  : std::string())
              << ")\n";
  }
}

repository::ArchiveVerifier full_verify(const std::optional<std::filesystem::path>& public_key) {
  return [public_key](const std::filesystem::path& archive) {
    core::SilentReporter quiet;
    verify::VerifyOptions options;
    options.archive = archive.string();
    options.public_key = public_key;
    (void)verify::verify_archive(options, quiet);
  };
}

} // namespace pbk::cli
