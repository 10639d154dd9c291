// SPDX-License-Identifier: MIT
#include "verify/restorable_check.hpp"

#include "archive/archive_key.hpp"
#include "archive/create_database_statement.hpp"
#include "archive/create_table_statement.hpp"
#include "archive/member_bounds.hpp"
#include "archive/member_reader.hpp"

#include "core/error.hpp"
#include "core/io/span_source.hpp"
#include "core/rowcodec/row_decoder.hpp"

#include <memory>

namespace pbk::verify {

RestorableCheck::RestorableCheck(const archive::BackupInfo& info, const std::string& label)
    : m_mapping(info) {
  // Restore refuses a database whose charset or collation is not a plain name; so does verify.
  for (const auto& database : info.databases) {
    check_database_charset(database, label);
  }
}

std::optional<archive::ObservedMember>
RestorableCheck::check_schema(archive::ArchiveScanner& scanner,
                              const core::tar::TarMember& member,
                              const archive::MemberMapping::Table& table,
                              const archive::MemberOpener& opener) {
  if (archive::is_sealed_path(member.path) && !opener.can_open()) {
    return std::nullopt;
  }
  const std::string label = scanner.label() + ": member " + member.path;
  auto stored = read_stored_member(scanner, member);
  core::io::SpanSource source(stored.data);
  archive::MemberReader reader(opener, source, member.path, label, archive::k_max_member_raw_bytes);
  const auto sql = archive::read_schema_sql(reader, label);
  reader.skip_rest();
  // The row format a target may force changes no check; the statement is checked as stored.
  const auto checked = checked_create_table(sql, table.table, archive::CreateTableOptions{}, label);
  m_columns[{table.database, table.table}] = checked.definition.columns.size();
  return archive::ObservedMember{
      member.path, stored.data.size(), sql.size(), 0, std::move(stored.sha256)};
}

std::size_t RestorableCheck::columns(const archive::MemberMapping::Table& table) const {
  const auto found = m_columns.find({table.database, table.table});
  return found == m_columns.end() ? 0 : found->second;
}

void check_config_total(const archive::Manifest& manifest, const std::string& label) {
  std::uint64_t total = 0;
  for (const auto& member : manifest.members) {
    if (member.kind == archive::MemberKind::config) {
      total += member.raw_size;
    }
  }
  if (total > archive::k_max_config_bytes) {
    throw core::IntegrityError(label + ": the config members hold " + std::to_string(total)
                                   + " bytes, more than a config directory may hold ("
                                   + std::to_string(archive::k_max_config_bytes >> 20)
                                   + " MiB): restore refuses them",
                               {"the archive was altered: restore from another copy"});
  }
}

archive::MemberContents check_rows(core::io::ByteSource& stored,
                                   const std::string& path,
                                   const std::string& label,
                                   const archive::MemberOpener& opener,
                                   std::size_t columns) {
  archive::MemberReader reader(opener, stored, path, label, archive::k_max_member_raw_bytes);
  auto limits = archive::hard_row_limits();
  limits.fields = columns;
  core::rowcodec::RowDecoder decoder(
      [](std::span<const std::optional<std::string_view>>) {}, label, limits);
  // Not zeroed (most members are far smaller than the buffer); only what a read returned is used.
  constexpr std::size_t k_buffer_size = std::size_t{256} << 10;
  const auto buffer = std::make_unique_for_overwrite<std::byte[]>(k_buffer_size);
  while (const auto n = reader.read(std::span(buffer.get(), k_buffer_size))) {
    decoder.write(std::span<const std::byte>(buffer.get(), n));
  }
  decoder.finish();
  if (decoder.rows() != reader.lines()) {
    throw core::IntegrityError(label + " holds " + std::to_string(reader.lines()) + " lines but "
                               + std::to_string(decoder.rows()) + " rows");
  }
  return {reader.bytes(), decoder.rows(), true};
}

archive::MemberContents check_rows(std::span<const std::byte> stored,
                                   const std::string& path,
                                   const std::string& label,
                                   const archive::MemberOpener& opener,
                                   std::size_t columns) {
  core::io::SpanSource source(stored);
  return check_rows(source, path, label, opener, columns);
}

} // namespace pbk::verify
