// SPDX-License-Identifier: MIT
// What restore refuses in an archive's table members without asking a server, checked by
// `verify` so that an archive verify accepts is one restore can load: every member placed by
// the mapping restore uses (MemberMapping), every schema a CREATE TABLE that
// checked_create_table accepts, every rows member decoded by the row decoder restore uses,
// each row with as many fields as its table has columns and as many rows as newlines.
#pragma once

#include "core/archive/tar_reader.hpp"
#include "restore/archive_scanner.hpp"
#include "restore/archive_walk.hpp"
#include "restore/member_mapping.hpp"
#include "restore/member_opener.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>

namespace pbk::restore {

class RestorableCheck {
public:
  RestorableCheck(const manifest::BackupInfo& info, const std::string& label);

  [[nodiscard]] MemberMapping::Mapped map(const std::string& path, const std::string& label) {
    return m_mapping.map(path, label);
  }

  // Reads a schema member whole (at most 1 MiB of SQL) and checks it; nullopt when it is
  // sealed and the opener has no key (the caller then checks its stored bytes only).
  [[nodiscard]] std::optional<ObservedMember> check_schema(ArchiveScanner& scanner,
                                                           const core::archive::TarMember& member,
                                                           const MemberMapping::Table& table,
                                                           const MemberOpener& opener);

  // The column count of a table whose schema was checked; 0 when it was not.
  [[nodiscard]] std::size_t columns(const MemberMapping::Table& table) const;

private:
  MemberMapping m_mapping;
  std::map<std::pair<std::string, std::string>, std::size_t> m_columns;
};

// Restore buffers an archive's config files until the manifest vouches for them, and refuses
// more than manifest::k_max_config_bytes in all: so does verify (IntegrityError).
void check_config_total(const manifest::Manifest& manifest, const std::string& label);

// A rows member's stored bytes opened, decompressed and decoded row by row. Throws
// IntegrityError naming `label` for a row whose field count is not `columns`, bad row grammar,
// or damage; the contents' lines are the rows decoded.
[[nodiscard]] MemberContents check_rows(core::io::ByteSource& stored,
                                        const std::string& path,
                                        const std::string& label,
                                        const MemberOpener& opener,
                                        std::size_t columns);
[[nodiscard]] MemberContents check_rows(std::span<const std::byte> stored,
                                        const std::string& path,
                                        const std::string& label,
                                        const MemberOpener& opener,
                                        std::size_t columns);

} // namespace pbk::restore
