// SPDX-License-Identifier: MIT
// What restore refuses in an archive's table members without asking a server, checked by
// `verify` so that an archive verify accepts is one restore can load: every member placed by
// the mapping restore uses (MemberMapping), every schema a CREATE TABLE that
// checked_create_table accepts, every rows member decoded by the row decoder restore uses,
// each row with as many fields as its table has columns and as many rows as newlines.
#pragma once

#include "archive/archive_scanner.hpp"
#include "archive/archive_walk.hpp"
#include "archive/member_mapping.hpp"
#include "archive/member_opener.hpp"

#include "core/tar/tar_reader.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>

namespace pbk::verify {

class RestorableCheck {
public:
  RestorableCheck(const archive::BackupInfo& info, const std::string& label);

  [[nodiscard]] archive::MemberMapping::Mapped map(const std::string& path,
                                                   const std::string& label) {
    return m_mapping.map(path, label);
  }

  // Reads a schema member whole (at most 1 MiB of SQL) and checks it; nullopt when it is
  // sealed and the opener has no key (the caller then checks its stored bytes only).
  [[nodiscard]] std::optional<archive::ObservedMember>
  check_schema(archive::ArchiveScanner& scanner,
               const core::tar::TarMember& member,
               const archive::MemberMapping::Table& table,
               const archive::MemberOpener& opener);

  // The column count of a table whose schema was checked; 0 when it was not.
  [[nodiscard]] std::size_t columns(const archive::MemberMapping::Table& table) const;

private:
  archive::MemberMapping m_mapping;
  std::map<std::pair<std::string, std::string>, std::size_t> m_columns;
};

// Restore buffers an archive's config files until the manifest vouches for them, and refuses
// more than archive::k_max_config_bytes in all: so does verify (IntegrityError).
void check_config_total(const archive::Manifest& manifest, const std::string& label);

// A rows member's stored bytes opened, decompressed and decoded row by row. Throws
// IntegrityError naming `label` for a row whose field count is not `columns`, bad row grammar,
// or damage; the contents' lines are the rows decoded.
[[nodiscard]] archive::MemberContents check_rows(core::io::ByteSource& stored,
                                                 const std::string& path,
                                                 const std::string& label,
                                                 const archive::MemberOpener& opener,
                                                 std::size_t columns);
[[nodiscard]] archive::MemberContents check_rows(std::span<const std::byte> stored,
                                                 const std::string& path,
                                                 const std::string& label,
                                                 const archive::MemberOpener& opener,
                                                 std::size_t columns);

} // namespace pbk::verify
