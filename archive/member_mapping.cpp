// SPDX-License-Identifier: MIT
#include "archive/member_mapping.hpp"

#include "archive/archive_key.hpp"
#include "archive/member_path.hpp"
#include "archive/table_definition.hpp"

#include "core/error.hpp"

#include <array>

namespace pbk::archive {
namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string file_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_rows_file(const std::string& file) {
  constexpr std::string_view prefix = "rows-";
  constexpr std::string_view suffix = ".tsv.zst";
  return file.size() > prefix.size() + suffix.size() && file.starts_with(prefix)
         && file.ends_with(suffix);
}

[[noreturn]] void fail(const std::string& label, const std::string& what) {
  throw core::IntegrityError(label + " " + what,
                             {"the archive was altered: restore from another copy"});
}

} // namespace

MemberMapping::MemberMapping(const archive::BackupInfo& info) {
  for (const auto& database : info.databases) {
    for (const auto& table : database.tables) {
      m_tables[directory_of(archive::schema_member_path(database.name, table))] = {database.name,
                                                                                   table};
    }
  }
}

MemberMapping::Mapped MemberMapping::map(const std::string& path, const std::string& label) {
  const auto directory = directory_of(path);
  const auto found = m_tables.find(directory);
  if (found == m_tables.end()) {
    fail(label, "belongs to no table backup.json lists");
  }
  const auto file = file_of(archive::unsealed_path(path));
  if (file == "schema.sql.zst") {
    if (!m_created.insert(directory).second) {
      fail(label,
           "is a second schema member for " + found->second.database + "." + found->second.table);
    }
    return {&found->second, Kind::schema};
  }
  if (!is_rows_file(file)) {
    fail(label, "is neither a schema nor a rows member");
  }
  if (!m_created.contains(directory)) {
    fail(label, "comes before the table's schema member");
  }
  return {&found->second, Kind::rows};
}

std::string read_schema_sql(core::io::ByteSource& source, const std::string& label) {
  std::string text;
  std::array<std::byte, 64 * 1024> buffer{};
  while (const auto n = source.read(buffer)) {
    if (text.size() + n > k_max_schema_sql_bytes) {
      throw core::IntegrityError(label + " is larger than any CREATE TABLE statement");
    }
    text.append(reinterpret_cast<const char*>(buffer.data()), n);
  }
  return text;
}

} // namespace pbk::archive
