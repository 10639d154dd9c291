// SPDX-License-Identifier: MIT
// Which table each data member of an archive belongs to and what it holds, as restore loads
// it: the member's directory must be <db>/<table>/ of a table backup.json lists, its file the
// table's schema.sql.zst or one of its rows-NNNNNN.tsv.zst (sealed: plus .sealed), the schema
// member once and before the table's rows. `restore` and `verify` share it, so verify refuses
// every archive whose members restore would refuse to place.
#pragma once

#include "archive/manifest.hpp"

#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <map>
#include <set>
#include <string>

namespace pbk::archive {

class MemberMapping {
public:
  struct Table {
    std::string database;
    std::string table;
  };

  enum class Kind { schema, rows };

  struct Mapped {
    const Table* table;
    Kind kind;
  };

  explicit MemberMapping(const archive::BackupInfo& info);

  // Maps the next data member in archive order (config members are not table members).
  // Throws IntegrityError naming `label` for a member of no listed table, a file that is
  // neither a schema nor a rows member, a second schema member, or rows before the schema.
  Mapped map(const std::string& path, const std::string& label);

private:
  std::map<std::string, Table> m_tables; // member directory "<db>/<table>/" → table
  std::set<std::string> m_created;       // directories whose schema member was seen
};

// A schema member's SQL, read to its end; more than any CREATE TABLE statement (1 MiB) is an
// IntegrityError naming `label`.
[[nodiscard]] std::string read_schema_sql(core::io::ByteSource& source, const std::string& label);

} // namespace pbk::archive
