// SPDX-License-Identifier: MIT
// Loads an archive's tables into the staging databases as the archive streams by: each
// table's schema member becomes a checked CREATE TABLE in its staging database, each rows
// member is pulled through SHA-256 → zstd → a row count straight into the server (LOAD DATA
// LOCAL, or the tool's own INSERTs where the server forbids it), never to a temp file. What
// it observed goes to ArchiveWalk, which compares it with the manifest at the end; the rows
// the server took must equal the rows the member holds. Members of databases not being
// restored are only verified.
#pragma once

#include "core/db/connection.hpp"
#include "core/reporter.hpp"
#include "manifest/manifest.hpp"
#include "restore/archive_walk.hpp"
#include "restore/member_opener.hpp"
#include "restore/row_loader.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace pbk::restore {

struct StagingOptions {
  std::map<std::string, std::string> staging_for; // backup database → its staging database
  bool force_dynamic_row_format = false;          // Postal 3.x targets
  MemberOpener opener;                            // opens sealed members
};

class StagingLoader {
public:
  // Sets the session up for byte-exact loading (binary charset, UTC, no value rewriting).
  StagingLoader(core::db::Connection& connection,
                const manifest::BackupInfo& info,
                StagingOptions options,
                core::Reporter& reporter);

  // An ArchiveWalk::MemberHandler.
  [[nodiscard]] ObservedMember load(ArchiveScanner& scanner,
                                    const core::archive::TarMember& member);

  [[nodiscard]] std::uint64_t rows() const { return m_rows; }

  [[nodiscard]] std::uint64_t raw_bytes() const { return m_raw_bytes; }

  [[nodiscard]] std::uint64_t stored_bytes() const { return m_stored_bytes; }

  [[nodiscard]] LoadMethod method() const { return m_method; }

  [[nodiscard]] const std::vector<std::string>& warnings() const { return m_warnings; }

private:
  struct TableRef {
    std::string database;
    std::string table;
  };

  [[nodiscard]] const TableRef& table_of(ArchiveScanner& scanner, const std::string& path) const;
  ObservedMember create_table(ArchiveScanner& scanner,
                              const core::archive::TarMember& member,
                              const TableRef& ref,
                              const std::string& staging);
  ObservedMember load_rows(ArchiveScanner& scanner,
                           const core::archive::TarMember& member,
                           const TableRef& ref,
                           const std::string& staging);

  core::db::Connection& m_connection;
  StagingOptions m_options;
  core::Reporter& m_reporter;
  LoadMethod m_method;
  RowLoader m_loader;
  std::map<std::string, TableRef> m_tables; // member directory "<db>/<table>/" → table
  std::map<std::string, bool> m_created;    // "<db>/<table>/" whose CREATE TABLE ran
  std::uint64_t m_rows = 0;
  std::uint64_t m_raw_bytes = 0;
  std::uint64_t m_stored_bytes = 0;
  std::vector<std::string> m_warnings;
};

} // namespace pbk::restore
