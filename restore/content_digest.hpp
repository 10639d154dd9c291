// SPDX-License-Identifier: MIT
// A loaded table's content digest, to compare with the manifest's `content_sha256`: its rows
// read back and written by the same RowEncoder, in the same order (SELECT *, which InnoDB
// answers in primary key order, as the backup read them), into a SHA-256 instead of an
// archive. Equal digests prove the server holds what the archive holds, byte for byte, where
// the members' own SHA-256 proves only what was read: a value the server converted or cut
// on its way in differs here.
#pragma once

#include "core/db/connection.hpp"

#include <cstdint>
#include <string>

namespace pbk::restore {

// Sets what the dump session sets that changes how values read (TIMESTAMPs in UTC).
void prepare_digest_session(core::db::Connection& connection);

struct TableContent {
  std::string sha256; // lowercase hex, of the rows as a backup would write them
  std::uint64_t rows = 0;
};

// `database`.`table` read once: its content digest and its rows.
[[nodiscard]] TableContent read_table_content(core::db::Connection& connection,
                                              const std::string& database,
                                              const std::string& table);

} // namespace pbk::restore
