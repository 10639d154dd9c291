// SPDX-License-Identifier: MIT
#include "archive/archive_info.hpp"

#include "archive/archive_scanner.hpp"
#include "archive/manifest_json.hpp"

#include "core/error.hpp"
#include "core/io/memory_sink.hpp"

namespace pbk::archive {
namespace {

archive::BackupInfo read_first_member(ArchiveScanner& scanner) {
  const auto first = scanner.next();
  if (!first || first->path != archive::k_backup_member) {
    throw core::IntegrityError(scanner.label()
                               + ": first member is not backup.json: "
                                 "not a postal-backup archive");
  }
  return archive::parse_backup_info(scanner.read_text());
}

} // namespace

archive::BackupInfo read_backup_info(const std::string& path) {
  ArchiveScanner scanner(path);
  return read_first_member(scanner);
}

ArchiveContents read_archive_info(const std::string& path) {
  ArchiveScanner scanner(path);
  ArchiveContents contents;
  contents.info = read_first_member(scanner);
  contents.members = 1;
  try {
    while (const auto member = scanner.next()) {
      ++contents.members;
      if (member->path == archive::k_manifest_member) {
        contents.manifest = archive::parse_manifest(scanner.read_text());
      } else {
        scanner.skip_member();
      }
    }
  } catch (const core::IntegrityError& e) {
    // A damaged tail still leaves backup.json worth showing; inspect reports the archive as
    // incomplete and `verify` names the damage.
    contents.manifest.reset();
    contents.damage = e.what();
  }
  return contents;
}

} // namespace pbk::archive
